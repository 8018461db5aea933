"""Background delivery of e-mail and SMS (eager, in-process, in the embedded default)."""

from celery import shared_task

from . import services


@shared_task(name="notifications.deliver_message", ignore_result=True)
def deliver_message(record_id: int) -> None:
    """Try once; on failure schedule the next attempt with back-off until MAX_ATTEMPTS."""
    delay = services.message_attempt(record_id)
    if delay is not None:
        deliver_message.apply_async((record_id,), countdown=delay)


@shared_task(name="notifications.resend_queued", ignore_result=True)
def resend_queued() -> int:
    """Periodic sweep (django-celery-beat): messages left queued by a lost task or broker outage."""
    return services.resend_queued()
