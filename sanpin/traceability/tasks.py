"""Background work: push the outbox to the national traceability platform."""

from celery import shared_task

from . import services


@shared_task(name="traceability.push", ignore_result=True)
def push() -> dict:
    """After each change (queued on commit) and every minute (django-celery-beat): push every
    due event; retries wait out their back-off in the rows, so the sweep is the retry path."""
    return services.push_pending()
