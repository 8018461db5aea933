from celery import shared_task

from .services import deadlines_process


@shared_task(name="certification.process_deadlines")
def process_deadlines():
    """Daily at 08:00 (django-celery-beat schedule created by migration)."""
    return deadlines_process()
