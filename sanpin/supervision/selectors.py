"""Reads for post-certification supervision: scoped lists and single records, the filters the
pages and the API share, and what the certificate page shows of a certificate's cases."""

import datetime

from django.db.models import Q

from sanpin.certificates.models import Certificate
from sanpin.certificates.selectors import term_on
from sanpin.core import clock
from sanpin.core.access import access_by_id, can
from sanpin.core.errors import NotFound, PermissionDenied

from . import causes as cause_tables
from .models import (
    SUPERVISION_ACTIONS,
    Rectification,
    RectificationEvidence,
    RectificationStatus,
    RevocationRequest,
    RevocationStatus,
)

RECTIFICATION_RELATED = ("certificate__holder", "opened_by", "answered_by", "decided_by")
REVOCATION_RELATED = ("certificate__holder", "rectification", "requested_by", "decided_by", "announcement")


def rectifications(user, action: str = "view"):
    return Rectification.objects.restrict(user, action).select_related(*RECTIFICATION_RELATED)


def rectification(user, pk, action: str = "view") -> Rectification:
    """403 for a role that may never do `action`, 404 when missing or out of scope."""
    return access_by_id(Rectification.objects.select_related(*RECTIFICATION_RELATED), user, pk, action)


def revocations(user, action: str = "view"):
    return RevocationRequest.objects.restrict(user, action).select_related(*REVOCATION_RELATED)


def revocation(user, pk, action: str = "view") -> RevocationRequest:
    return access_by_id(RevocationRequest.objects.select_related(*REVOCATION_RELATED), user, pk, action)


def evidence(user, rectification_pk, evidence_pk) -> RectificationEvidence:
    """An evidence file of a rectification the user may see (404 otherwise)."""
    parent = rectification(user, rectification_pk)
    item = RectificationEvidence.objects.filter(rectification=parent, pk=evidence_pk).first()
    if item is None:
        raise NotFound()
    return item


def certificate_term(user, number: str, action: str = "open") -> Certificate:
    """The term of `number` in force today, for a user who may `action` (403 wrong role, 404 out
    of scope or unknown)."""
    if not (user.roles & SUPERVISION_ACTIONS[action]):
        raise PermissionDenied()
    queryset = Certificate.objects.restrict(user, "view").select_related("holder")
    certificate = term_on(queryset, number, clock.today())
    if certificate is None:
        raise NotFound()
    return certificate


def filter_rectifications(queryset, *, status="", scheme="", source="", q="", today: datetime.date | None = None):
    """`status` may also be "overdue_open": open with the deadline passed (the daily job has not
    closed it yet)."""
    today = today or clock.today()
    if status == "overdue_open":
        queryset = queryset.filter(status=RectificationStatus.OPEN, due_on__lt=today)
    elif status:
        queryset = queryset.filter(status=status)
    if scheme:
        queryset = queryset.filter(certificate__scheme=scheme)
    if source:
        queryset = queryset.filter(source=source)
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(Q(number__icontains=q) | Q(certificate__number__icontains=q)
                                   | Q(certificate__holder__name__icontains=q)
                                   | Q(certificate__product_name__icontains=q))
    return queryset


def filter_revocations(queryset, *, status="", scheme="", q=""):
    if status:
        queryset = queryset.filter(status=status)
    if scheme:
        queryset = queryset.filter(certificate__scheme=scheme)
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(Q(number__icontains=q) | Q(certificate__number__icontains=q)
                                   | Q(certificate__holder__name__icontains=q)
                                   | Q(certificate__product_name__icontains=q))
    return queryset


def is_overdue(item: Rectification, today: datetime.date | None = None) -> bool:
    """Past its deadline without an answer (whether or not the daily job has closed it)."""
    today = today or clock.today()
    return item.status == RectificationStatus.OVERDUE or (item.status == RectificationStatus.OPEN
                                                          and item.due_on < today)


def rectification_cause_label(item: Rectification) -> str:
    return cause_tables.labels(cause_tables.RECTIFICATION_CAUSES, item.certificate.scheme).get(item.cause, item.cause)


def revocation_cause_labels(item: RevocationRequest) -> list[str]:
    labels = cause_tables.labels(cause_tables.REVOCATION_CAUSES, item.certificate.scheme)
    return [labels.get(code, code) for code in item.causes or []]


def certificate_cases(user, certificate: Certificate) -> dict:
    """The rectifications and revocation requests of every term of the certificate's number that
    the user may see, and whether a new one may be opened now."""
    today = clock.today()
    rect = list(rectifications(user).filter(certificate__number=certificate.number))
    revs = list(revocations(user).filter(certificate__number=certificate.number))
    may_open = can(user, "open", Rectification)
    return {
        "rectifications": [(r, rectification_cause_label(r), is_overdue(r, today)) for r in rect],
        "revocations": [(r, revocation_cause_labels(r)) for r in revs],
        "can_rectify": may_open and certificate.effective_status(today) == "valid"
        and not any(r.status in (RectificationStatus.OPEN, RectificationStatus.ANSWERED) for r in rect),
        "can_request_revocation": may_open and certificate.status not in ("revoked", "stopped")
        and not any(r.status == RevocationStatus.PENDING for r in revs),
    }
