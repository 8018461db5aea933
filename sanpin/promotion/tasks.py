from celery import shared_task

from . import day_before


@shared_task(name="promotion.check_upcoming")
def check_upcoming():
    """Daily at 06:00 (django-celery-beat schedule created by migration 0002): re-check the
    certificates of approved participants of events starting tomorrow."""
    return day_before.check_upcoming()
