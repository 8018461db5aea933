"""Background work: webhook POSTs with back-off, the retry sweep, and the daily expiry event."""

from celery import shared_task

from . import services


@shared_task(name="subscriptions.deliver_webhook", ignore_result=True)
def deliver_webhook(delivery_id: str) -> None:
    """Try once; on failure schedule the next attempt after the back-off delay. When tasks run
    eagerly (no broker) the retry is left to `retry_due`, so a request never waits out a
    back-off schedule."""
    delay = services.webhook_attempt(delivery_id)
    if delay is not None and not services.eager():
        deliver_webhook.apply_async((delivery_id,), countdown=delay)


@shared_task(name="subscriptions.retry_due", ignore_result=True)
def retry_due() -> int:
    """Every few minutes (django-celery-beat): deliveries whose retry time has come."""
    return services.retry_due()


@shared_task(name="subscriptions.emit_expired", ignore_result=True)
def emit_expired() -> int:
    """Daily just after midnight (django-celery-beat): tell subscribers of yesterday's expiries."""
    return services.emit_expired()
