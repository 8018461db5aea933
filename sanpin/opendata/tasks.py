from celery import shared_task

from .export import export_open_data


@shared_task(name="opendata.export")
def export():
    """Daily at 03:00 (django-celery-beat schedule created by migration): regenerate the open-data
    registry files."""
    return export_open_data()
