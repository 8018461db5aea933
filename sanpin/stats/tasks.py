"""Background work of the statistics: freezing last month's indicators on the 1st of each month
(django-celery-beat schedule created by migration 0002)."""

from celery import shared_task

from sanpin.core import clock
from sanpin.core.errors import Conflict


@shared_task(name="stats.freeze_previous_month")
def freeze_previous_month() -> str:
    """Monthly on the 1st at 01:30: freeze the month that has just ended, as the SYSTEM user.
    Idempotent: a month already frozen (e.g. by hand) is left as it is."""
    from .snapshots import freeze, previous_month

    month = previous_month(clock.today())
    try:
        snapshot = freeze(month)
    except Conflict:
        return f"{month:%Y-%m} already frozen"
    return f"{snapshot.month:%Y-%m} frozen"


@shared_task(name="stats.refresh_valid_counts")
def refresh_valid_counts() -> str:
    """Nightly at 00:20: count today and the ended target years' 31 December for the kept
    valid-product counts, and recount the cells changed since the last run; every ten minutes
    as well, so few cells are ever counted live (nothing to do: no lock, no write)."""
    from .valid_store import refresh

    done = refresh()
    return f"{done['days']} days kept, {done['new_days']} counted in full, {done['stale_cells']} stale cells recounted"


@shared_task(name="stats.refresh_pass_rates")
def refresh_pass_rates() -> str:
    """Every ten minutes: recount the kept first-pass counts of the (region, scheme) pairs whose
    applications changed since the last run (everything on the first run; nothing to do: no
    lock, no write)."""
    from .pass_store import refresh

    done = refresh()
    what = "full recount" if done["full"] else f"{done['stale_pairs']} stale pairs recounted"
    return f"{what}, {done['cells']} cells"
