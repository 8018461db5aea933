from celery import shared_task

from . import standing


@shared_task(name="credit.refresh_all")
def refresh_all():
    """Nightly at 01:30 (django-celery-beat schedule created by migration 0005): recompute every
    graded entity's standing, so decay and a rulebook version taking effect move the grades."""
    return standing.refresh_all()
