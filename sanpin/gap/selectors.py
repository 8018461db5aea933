"""Reads for GAP records: scoped lists and lookups, filtered by effective status on a day."""

import datetime

from sanpin.core.access import access_by_id

from .models import EXPIRED, GAPCertificate, GAPStatus


def scoped_certificates(user, action: str = "view"):
    return GAPCertificate.objects.restrict(user, action).select_related("holder", "holder__region")


def scoped_certificate(user, pk, action: str = "view") -> GAPCertificate:
    """403 for a wrong role, 404 when missing or out of scope."""
    return access_by_id(GAPCertificate.objects.select_related("holder", "holder__region"), user, pk, action)


def with_effective_status(queryset, status: str, today: datetime.date):
    """Rows whose status on `today` is `status` ("expired" = valid with valid_until passed)."""
    if status == EXPIRED:
        return queryset.filter(status=GAPStatus.VALID, valid_until__lt=today)
    if status == GAPStatus.VALID:
        return queryset.filter(status=GAPStatus.VALID, valid_until__gte=today)
    if status == GAPStatus.ENDED:
        return queryset.filter(status=GAPStatus.ENDED)
    return queryset
