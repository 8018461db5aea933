from celery import shared_task

from .services import daily


@shared_task(name="certification.process_deadlines")
def process_deadlines():
    """Daily at 08:00 (django-celery-beat schedule created by migration): step deadlines and
    renewal reminders."""
    return daily()
