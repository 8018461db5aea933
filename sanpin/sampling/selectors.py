"""Reads for sampling: plans (every agency reads them), tasks scoped to the caller (region for
staff, its own tasks for a lab), the standards table and the pass rate per region [002 §2]."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Substr

from sanpin.catalog.models import Region
from sanpin.core.access import access_by_id, require_role
from sanpin.core.errors import NotFound

from .models import PASS_RATE_TARGET, PLAN_ROLES, Conclusion, SamplingPlan, SamplingTask, Standard, TaskStatus

TASK_RELATED = ("certificate__holder__region", "plan", "lab", "report")


def plans(user):
    """Plans are national documents: every agency role reads them (403 for other roles)."""
    require_role(user, PLAN_ROLES)
    return SamplingPlan.objects.select_related("created_by").prefetch_related("quotas__region")


def plan(user, pk) -> SamplingPlan:
    try:
        return plans(user).get(pk=pk)
    except (SamplingPlan.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def tasks(user, action: str = "view"):
    return SamplingTask.objects.restrict(user, action).select_related(*TASK_RELATED)


def task(user, pk, action: str = "view") -> SamplingTask:
    """403 for a role that may never do `action`, 404 when missing or out of scope."""
    return access_by_id(SamplingTask.objects.select_related(*TASK_RELATED), user, pk, action)


def filter_tasks(rows, *, plan: str = "", status: str = "", conclusion: str = "", q: str = ""):
    if str(plan).isdigit():
        rows = rows.filter(plan_id=int(plan))
    if status in TaskStatus.values:
        rows = rows.filter(status=status)
    if conclusion in Conclusion.values:
        rows = rows.filter(conclusion=conclusion)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(number__icontains=q) | Q(certificate__number__icontains=q)
                           | Q(certificate__holder__name__icontains=q) | Q(certificate__product_name__icontains=q))
    return rows


def standards(*, scheme: str = "", category: str = ""):
    rows = Standard.objects.all()
    if scheme:
        rows = rows.filter(scheme=scheme)
    if category:
        rows = rows.filter(category=category)
    return rows


# --- pass rate [002 §2] --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PassRate:
    region: Region | None  # None: the total of the regions asked for
    tested: int
    passed: int

    @property
    def failed(self) -> int:
        return self.tested - self.passed

    @property
    def percent(self) -> Decimal | None:
        if not self.tested:
            return None
        return (Decimal(self.passed) * 100 / self.tested).quantize(Decimal("0.1"))

    @property
    def below_target(self) -> bool:
        return self.percent is not None and self.percent < PASS_RATE_TARGET


def region_in_scope(user, code: str) -> Region | None:
    """The region asked for, which must lie inside the caller's own (404 otherwise); None = the
    whole country (national staff asking for nothing)."""
    own = user.agency.region if user.agency_id and user.agency.region_id else None
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


def pass_rates(*, year: int, region: Region | None = None, scheme: str = "") -> tuple[list[PassRate], PassRate]:
    """Tested and passed products of the year's plans per child region of `region` (by the
    holder's region), counted in one grouped query; and the total over `region`."""
    children = child_regions(region)
    reported = SamplingTask.objects.filter(plan__year=year, status=TaskStatus.REPORTED)
    if region is not None:
        reported = reported.filter(certificate__holder__region__code__startswith=region.scope_prefix)
    if scheme:
        reported = reported.filter(plan__scheme=scheme)
    counts = {}
    if children:
        width = len(children[0].scope_prefix)
        rows = (reported.annotate(prefix=Substr("certificate__holder__region_id", 1, width)).values("prefix")
                .annotate(tested=Count("pk"), passed=Count("pk", filter=Q(conclusion=Conclusion.PASS))))
        counts = {row["prefix"]: (row["tested"], row["passed"]) for row in rows}
    total = reported.aggregate(tested=Count("pk"), passed=Count("pk", filter=Q(conclusion=Conclusion.PASS)))
    return ([PassRate(child, *counts.get(child.scope_prefix, (0, 0))) for child in children],
            PassRate(None, total["tested"], total["passed"]))
