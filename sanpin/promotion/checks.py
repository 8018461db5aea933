"""Whether a certificate's mark may be shown at an event: the one rule used at sign-up, when a
list of awards is published, by the day-before re-check and when a certificate is suspended or
revoked (sanpin.promotion.services.shown_recheck applies it to the certificates shown)."""

import datetime

from django.utils.translation import gettext as _

from sanpin.certificates.choices import EXPIRED, Status


def certificate_problem(certificate, *, on: datetime.date, through: datetime.date | None = None) -> str | None:
    """Why `certificate` may not be shown on `on` (and every day up to `through`, the last day of
    an event); None when it may. Only a valid certificate within its term qualifies: one under
    rectification, suspended, stopped, revoked or expired does not."""
    number = certificate.number
    if on < certificate.valid_from:
        return _("证书 %(n)s 自 %(day)s 起生效，%(on)s 尚未生效") % {
            "n": number, "day": certificate.valid_from.isoformat(), "on": on.isoformat()}
    status = certificate.effective_status(on)
    if status == EXPIRED:
        return _("证书 %(n)s 已于 %(day)s 到期") % {"n": number, "day": certificate.valid_until.isoformat()}
    if status != Status.VALID:
        return _("证书 %(n)s 状态为“%(status)s”") % {"n": number, "status": Status(status).label}
    if through is not None and certificate.valid_until < through:
        return _("证书 %(n)s 有效期至 %(day)s，早于活动结束日 %(end)s") % {
            "n": number, "day": certificate.valid_until.isoformat(), "end": through.isoformat()}
    return None


def event_check_day(event, today: datetime.date) -> datetime.date:
    """The first day a mark is shown at `event` from `today` on: the start, or today once it runs."""
    return max(today, event.starts_on)
