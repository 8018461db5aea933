"""Reads for the library: the public search of standards and published procedures, a staff
member's documents, and what an organisation received."""

from django.db.models import Q

from sanpin.catalog.models import Region
from sanpin.core import clock
from sanpin.core.errors import NotFound

from .choices import ProcedureStatus
from .models import Attendance, Distribution, Procedure, Standard


def public_standards(*, q: str = "", kind: str = "", status: str = "", product_field: str = ""):
    """Every standard in the library with its status today (withdrawn ones too: readers look up
    what replaced them)."""
    rows = Standard.objects.with_status(clock.today()).select_related("replaced_by")
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(summary__icontains=q))
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if product_field:
        rows = rows.filter(product_field=product_field)
    return rows.order_by("kind", "number")


def applies_to(region: Region) -> Q:
    """Documents for `region`: those made for it, for a region above it, or for one below it."""
    above = [region.code] + [r.code for r in region.ancestors()]
    return Q(region_id__in=above) | Q(region__code__startswith=region.scope_prefix)


def public_procedures(*, q: str = "", kind: str = "", product: str = "", product_field: str = "",
                      region: Region | None = None):
    """Published procedures and sheets only: drafts and retired ones are never public."""
    rows = Procedure.objects.filter(status=ProcedureStatus.PUBLISHED).select_related("region")
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(product__icontains=q) | Q(summary__icontains=q)
                           | Q(issuing_agency__icontains=q))
    if kind:
        rows = rows.filter(kind=kind)
    if (product or "").strip():
        rows = rows.filter(product__icontains=product.strip())
    if product_field:
        rows = rows.filter(product_field=product_field)
    if region is not None:
        rows = rows.filter(applies_to(region))
    return rows.order_by("-issued_on", "title")


def public_standard(pk) -> Standard:
    try:
        return Standard.objects.select_related("replaced_by").get(pk=pk)
    except (Standard.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def public_procedure(pk) -> Procedure:
    try:
        return (Procedure.objects.select_related("region").prefetch_related("standards")
                .get(pk=pk, status=ProcedureStatus.PUBLISHED))
    except (Procedure.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def received(user):
    """What the user's organisation and its bases received, and the sessions they attended."""
    deliveries = (Distribution.objects.restrict(user, "view")
                  .select_related("standard", "procedure", "base", "entity").order_by("-delivered_on", "-pk"))
    attended = (Attendance.objects.restrict(user, "view").select_related("session", "base")
                .prefetch_related("session__standards", "session__procedures").order_by("-session__held_on"))
    return deliveries, attended
