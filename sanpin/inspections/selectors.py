"""Reads for annual inspection: scoped plans, items and records, the filters pages and API
share, the inspectors who may be assigned, and coverage against the 100% target [002 §3(5)]
computed in SQL."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from sanpin.accounts.choices import NATIONAL_ROLES, Role
from sanpin.accounts.registries import eligible_inspectors
from sanpin.catalog.models import Region
from sanpin.certificates.models import Certificate
from sanpin.core.access import access_by_id, can
from sanpin.core.errors import NotFound, PermissionDenied

from .models import QUALIFICATIONS, AnnualInspectionPlan, InspectionRecord, PlanItem

TARGET = Decimal("100")  # every certified enterprise every year [002 §3(5)]
ITEM_RELATED = ("plan__province", "entity__region", "inspector", "record")


def _visible_plans(user):
    """Plans in the user's region, and for city and county staff their province's plans."""
    rows = AnnualInspectionPlan.objects.restrict(user, "view")
    if Role.LOCAL_STAFF in user.roles and user.agency_id and user.agency.region_id:
        rows = rows | AnnualInspectionPlan.objects.filter(province_id=user.agency.region.province_code)
    return rows


def plans(user):
    return _visible_plans(user).select_related("province").annotate(
        item_count=Count("items", distinct=True),
        inspected_count=Count("items", filter=Q(items__record__isnull=False), distinct=True),
    )


def plan(user, pk) -> AnnualInspectionPlan:
    """403 for a role that may never see plans, 404 when missing or out of scope."""
    if not can(user, "view", AnnualInspectionPlan):
        raise PermissionDenied()
    found = _visible_plans(user).select_related("province").filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def _with_certificates(queryset):
    return queryset.select_related(*ITEM_RELATED).prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by("scheme", "number")))


def items(user, action: str = "view"):
    """Items in the user's region, and for an inspector also those assigned to them anywhere."""
    rows = PlanItem.objects.restrict(user, action)
    if Role.INSPECTOR in user.roles:
        rows = rows | PlanItem.objects.filter(inspector=user)
    return _with_certificates(rows.distinct())


def item(user, pk, action: str = "view") -> PlanItem:
    """The assigned inspector always reaches their item; others by role and region (403/404)."""
    if user.is_authenticated and Role.INSPECTOR in user.roles:
        mine = _with_certificates(PlanItem.objects.filter(pk=pk, inspector=user)).first() if str(pk).isdigit() else None
        if mine is not None:
            return mine
    return access_by_id(_with_certificates(PlanItem.objects.all()), user, pk, action)


def filter_items(rows, *, plan_id=None, inspected: str = "", q: str = "", inspector=None):
    if plan_id:
        rows = rows.filter(plan_id=plan_id)
    if inspected == "yes":
        rows = rows.filter(record__isnull=False)
    elif inspected == "no":
        rows = rows.filter(record__isnull=True)
    elif inspected == "unassigned":
        rows = rows.filter(inspector__isnull=True)
    if inspector is not None:
        rows = rows.filter(inspector=inspector)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(entity__name__icontains=q) | Q(entity__uscc__icontains=q)
                           | Q(certificates__number__icontains=q)).distinct()
    return rows


def records(user):
    rows = InspectionRecord.objects.restrict(user, "view")
    if Role.INSPECTOR in user.roles:
        rows = rows | InspectionRecord.objects.filter(inspector=user)
    return rows.distinct().select_related("item__plan__province", "item__entity", "inspector", "recorded_by")


def assignable_inspectors(item: PlanItem, on: datetime.date) -> list:
    """Inspectors qualified, on `on`, in the plan's province for every scheme of the item."""
    schemes = sorted({c.scheme for c in item.certificates.all()}) or list(item.plan.schemes)
    result = None
    for scheme in schemes:
        ids = set(eligible_inspectors(province_code=item.plan.province_id, kinds=QUALIFICATIONS.get(scheme, ()),
                                      on_date=on).values_list("pk", flat=True))
        result = ids if result is None else result & ids
    from sanpin.accounts.models import User

    return list(User.objects.filter(pk__in=result or []).order_by("username"))


# --- coverage ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    region: Region
    planned: int
    inspected: int

    @property
    def percent(self) -> Decimal | None:
        if not self.planned:
            return None
        return (Decimal(self.inspected) * 100 / self.planned).quantize(Decimal("0.1"))

    @property
    def flagged(self) -> bool:
        """Below the 100% target (a region with nothing planned is not flagged)."""
        return self.planned > 0 and self.inspected < self.planned


def region_in_scope(user, code: str) -> Region | None:
    """The region asked for, which must lie inside the caller's own; None = the whole country."""
    own = user.agency.region if user.agency_id and user.agency.region_id else None
    if own is None and not user.roles & NATIONAL_ROLES:
        raise PermissionDenied(_("您的账号未关联工作机构，不能查看统计"))
    if not code:
        return own
    region = Region.objects.filter(code=code).first()
    if region is None or (own is not None and not region.code.startswith(own.scope_prefix)):
        raise NotFound()
    return region


def child_regions(region: Region | None) -> list[Region]:
    if region is None:
        return list(Region.objects.filter(level="province", is_active=True).order_by("code"))
    return list(region.children.filter(is_active=True).order_by("code"))


def coverage(*, year: int, region: Region | None = None) -> list[Coverage]:
    """Per child region of `region` (provinces for the whole country): plan items of `year` whose
    holder is in that region, and how many have their inspection recorded — one SQL aggregate."""
    children = child_regions(region)
    if not children:
        return []
    width = len(children[0].scope_prefix)
    rows = PlanItem.objects.filter(plan__year=year)
    if region is not None:
        rows = rows.filter(entity__region__code__startswith=region.scope_prefix)
    counts = {
        row["prefix"]: (row["planned"], row["inspected"])
        for row in rows.annotate(prefix=Substr("entity__region_id", 1, width)).values("prefix")
        .annotate(planned=Count("pk"), inspected=Count("pk", filter=Q(record__isnull=False)))
    }
    return [Coverage(child, *counts.get(child.scope_prefix, (0, 0))) for child in children]
