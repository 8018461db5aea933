"""Reads for the base pages and API: scoped lists and lookups, what a user may do with one base,
and the directory as the public sees it (listed bases only)."""

from django.db.models import Prefetch

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.certificates.choices import EffectiveStatus
from sanpin.certificates.models import Certificate
from sanpin.certification.choices import TERMINAL
from sanpin.core import clock
from sanpin.core.access import access_by_id
from sanpin.core.errors import DomainError, PermissionDenied, ValidationFailed
from sanpin.gap.models import GAPCertificate, GAPStatus

from . import services
from .choices import BaseStatus
from .filtersets import filtered_bases
from .models import Base

RELATED = ("county__parent__parent", "operator", "listing_application")


def scoped_bases(user, params=None):
    """The bases the user may see, filtered by the list's query parameters."""
    return filtered_bases(user, params or {}).select_related(*RELATED).order_by("county_id", "name", "pk")


def scoped_base(user, pk, action: str = "view") -> Base:
    """403 for a wrong role, 404 when missing or out of scope."""
    return access_by_id(Base.objects.select_related(*RELATED), user, pk, action)


def county_in_scope(call):
    """Run a create or update whose role was already checked: the service's remaining refusal is
    a county outside the caller's region, shown on the county field like any other bad value."""
    try:
        return call()
    except PermissionDenied as exc:
        raise ValidationFailed(fields={"county": exc.message}) from None


def with_links(queryset):
    """Linked certificates and GAP records in two queries, not one per row."""
    return queryset.prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by("number")),
        Prefetch("gap_certificates", queryset=GAPCertificate.objects.order_by("number")),
    )


def operator_certificates(operator):
    """What may be linked to a base: the operator's own certificates (current terms) and GAP records."""
    return (Certificate.objects.filter(holder=operator, renewed=False).order_by("number"),
            GAPCertificate.objects.filter(holder=operator).order_by("number"))


def may_change(user, base: Base) -> bool:
    """Staff of the base's region may correct it until it is removed."""
    return (base.status != BaseStatus.REMOVED and bool(user.roles & REVIEW_STAFF_ROLES)
            and Base.objects.restrict(user, "change").filter(pk=base.pk).exists())


def open_application(base: Base):
    application = base.listing_application
    return application if application is not None and application.state not in TERMINAL else None


def may_apply(user, base: Base) -> bool:
    """The operator's applicant, for a base still being built with no application under way."""
    return (Role.APPLICANT in user.roles and user.entity_id == base.operator_id
            and base.status == BaseStatus.BUILDING and open_application(base) is None)


def may_supervise(user, base: Base) -> bool:
    """Yearly checks and removal of a listed base: the same rule the services apply."""
    if base.status != BaseStatus.LISTED:
        return False
    try:
        services.require_supervisor(user, base)
    except DomainError:
        return False
    return True


# --- the public directory ---------------------------------------------------------------------


def listed_bases():
    """Bases in the directory now: listed, not building or removed."""
    return Base.objects.filter(status=BaseStatus.LISTED).select_related("county__parent__parent", "operator")


def listed_base(directory_number: str) -> Base | None:
    return with_links(listed_bases()).filter(directory_number=directory_number).first()


def valid_certificates(base: Base) -> list:
    """The linked certificates valid today (the public sees no lapsed or revoked ones)."""
    today = clock.today()
    return [c for c in base.certificates.all() if c.effective_status(today) == EffectiveStatus.VALID]


def valid_gap_certificates(base: Base) -> list:
    today = clock.today()
    return [g for g in base.gap_certificates.all() if g.effective_status(today) == GAPStatus.VALID]
