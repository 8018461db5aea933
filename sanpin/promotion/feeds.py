"""What a certificate change means for events: when a certificate is put under rectification,
suspended, stopped or revoked, every participation showing it (any term of its number) in an
event not yet over is re-checked at once and flagged (sanpin.promotion.services.shown_recheck).

The receiver listens to the certificates app's `certificate_changing` signal, sent inside the
change's transaction (connected in PromotionConfig.ready): a rolled-back change flags nothing,
and the certificates app does not know this one exists."""

from sanpin.core import clock

from .choices import CHECKED_PARTICIPATIONS, EventStatus, FlagSource

# Kinds of certificate_changing after which the mark may no longer be shown.
LOSING_KINDS = frozenset({"rectification", "suspended", "stopped", "revoked"})
# Events whose marks are still to be shown (a held event may still be running).
NOT_OVER = (EventStatus.OPEN, EventStatus.CLOSED, EventStatus.HELD)


def rows_for_certificate(number: str, today):
    from .models import ShownCertificate

    return ShownCertificate.objects.filter(
        certificate__number=number, participation__status__in=CHECKED_PARTICIPATIONS,
        participation__event__status__in=NOT_OVER, participation__event__ends_on__gte=today)


def on_certificate_changing(sender, *, certificate, kind, **kwargs):
    if kind not in LOSING_KINDS:
        return
    from sanpin.accounts.models import system_user

    from .services import shown_recheck

    today = clock.today()
    rows = rows_for_certificate(certificate.number, today)
    if rows.filter(flagged_on__isnull=True).exists():
        shown_recheck(actor=system_user(), rows=rows, source=FlagSource.CERTIFICATE_CHANGE, today=today)


def connect() -> None:
    from sanpin.certificates.signals import certificate_changing

    certificate_changing.connect(on_certificate_changing, dispatch_uid="promotion.on_certificate_changing")
