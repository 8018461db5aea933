"""The day-before check: approved participants of events starting tomorrow have their
certificates re-checked for the whole event, and any that may not be shown is flagged. Run daily
by Celery beat (schedule from migration 0002) and by `manage.py promotion_check_upcoming`;
idempotent (a flagged certificate is not flagged again)."""

import datetime

from sanpin.core import clock

from .choices import LIVE_EVENT_STATUSES, FlagSource, ParticipationStatus


def check_upcoming(today: datetime.date | None = None) -> dict:
    """Returns {"events": events checked, "flagged": certificates flagged now}."""
    from sanpin.accounts.models import system_user

    from .models import Event, ShownCertificate
    from .services import shown_recheck

    today = today or clock.today()
    tomorrow = today + datetime.timedelta(days=1)
    events = list(Event.objects.filter(starts_on=tomorrow, status__in=LIVE_EVENT_STATUSES).values_list("pk", flat=True))
    if not events:
        return {"events": 0, "flagged": 0}
    rows = ShownCertificate.objects.filter(participation__event__in=events,
                                           participation__status=ParticipationStatus.APPROVED)
    flagged = shown_recheck(actor=system_user(), rows=rows, source=FlagSource.DAY_BEFORE, today=today)
    return {"events": len(events), "flagged": len(flagged)}
