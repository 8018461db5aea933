"""The yearly collection of base information by counties, reviewed by their cities [002 §3(2)], and
the figures behind the production share: each city's total edible agricultural production and the
province's target (≥20% Guangxi [002 §2], ≥30% Shanghai [003 att.2 §3]).

Who does what with a county's submission:
- It is submitted by the staff of the county's own agency. A county without an agency account of its
  own is submitted by its city agency; where the city has none either (a municipality's district, a
  county the province administers directly), by the province.
- It is reviewed (复核) or returned with comments by the level directly above whoever submits: the
  county's city agency, or the province where no city agency stands between (sanpin.bases.rules.
  has_city_agency: Shanghai's districts, 仙桃, 东莞). Only where the province itself had to submit
  does it also review: there is no other level in the province to do it.
- Someone outside the submission's region gets 404 (its existence is not revealed); staff inside it
  who are not the party for the step get 403; a step the status does not allow gets 409.

Submitting snapshots the county's bases that are not removed (built to standard or listed): their
number, area and output at that moment. The share counts these snapshots once the city has reviewed
them, so later edits of bases do not change a year already reviewed.

Each write locks its row, changes state, writes its SubmissionEvent (for the history shown per
county) and one audit event in the same transaction, and tells the other side in-app."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanpin.accounts.choices import NATIONAL_ROLES, REVIEW_STAFF_ROLES, AgencyLevel
from sanpin.accounts.models import Agency, User
from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core import audit, clock
from sanpin.core.access import ALL, REGION, scope_for
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed

from .choices import BaseStatus, SubmissionStatus
from .models import Base, CollectionCycle, CountySubmission, RegionProduction, ShareTarget, SubmissionEvent
from .rules import has_city_agency

FIRST_YEAR = 2000
# A prefecture-level city produces at most some tens of millions of tonnes of edible farm products a
# year; a figure above this is a unit mistake (公斤 for 吨) or a slipped digit.
MAX_PRODUCTION_TONS = Decimal("100000000")
SUBMITTABLE = (SubmissionStatus.NOT_STARTED, SubmissionStatus.RETURNED)
ACTION_LABELS = {"submit": gettext_lazy("提交"), "resubmit": gettext_lazy("重新提交"), "return": gettext_lazy("退回"),
                 "review": gettext_lazy("复核通过")}


# --- who acts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parties:
    """The region codes whose agency staff submit and review a county's submission."""

    submitter: str
    reviewer: str


def parties(county: Region, agency_regions: set[str] | None = None) -> Parties:
    """`agency_regions`: the region codes that have an agency (loaded once for a whole table);
    without it the two or three needed are looked up."""
    province = county.code[:2] + "0000"
    city = county.parent_id if county.level == RegionLevel.COUNTY and county.parent_id != province else None
    if agency_regions is None:
        has_own = Agency.objects.filter(region_id=county.code).exists()
        has_city = city is not None and has_city_agency(county.code)
    else:
        has_own = county.code in agency_regions
        has_city = city is not None and city in agency_regions
    if has_own:
        return Parties(county.code, city if has_city else province)
    if has_city:
        return Parties(city, province)
    return Parties(province, province)


def agency_regions(province_code: str) -> set[str]:
    """The region codes of a province that have a (non-national) agency."""
    return set(Agency.objects.filter(region__code__startswith=province_code[:2]).values_list("region_id", flat=True))


def agency_region_of(actor) -> str | None:
    if not actor.roles & REVIEW_STAFF_ROLES or actor.agency_id is None:
        return None
    return actor.agency.region_id


def is_national(actor) -> bool:
    if not actor.roles & NATIONAL_ROLES:
        return False
    return actor.agency_id is None or actor.agency.level == AgencyLevel.NATIONAL


def is_province_staff(actor, province_code: str) -> bool:
    return agency_region_of(actor) == province_code


def may_submit(actor, submission: CountySubmission, regions: set[str] | None = None) -> bool:
    return agency_region_of(actor) == parties(submission.county, regions).submitter


def may_review(actor, submission: CountySubmission, regions: set[str] | None = None) -> bool:
    return agency_region_of(actor) == parties(submission.county, regions).reviewer


def _in_scope(actor, county_code: str) -> bool:
    scope = scope_for(actor, "change", CountySubmission)
    return scope.kind == ALL or (scope.kind == REGION and county_code.startswith(scope.value))


def _locked(actor, submission: CountySubmission) -> CountySubmission:
    if not actor.roles & REVIEW_STAFF_ROLES:
        raise PermissionDenied()
    locked = (CountySubmission.objects.select_for_update(of=("self",)).select_related("county", "cycle__province")
              .get(pk=submission.pk))
    if not _in_scope(actor, locked.county_id):
        raise NotFound()
    return locked


def _staff_of(region_code: str):
    return User.objects.filter(is_active=True, agency__region_id=region_code,
                               role_assignments__role__in=REVIEW_STAFF_ROLES).distinct()


def _notify(region_code: str, title: str, body: str, cycle: CollectionCycle) -> None:
    from sanpin.notifications.services import notify

    users = list(_staff_of(region_code))
    if users:
        notify(recipients=users, title=title, body=body, url=reverse("bases:collection_cycle", args=[cycle.pk]))


# --- validation -------------------------------------------------------------------------------------


def _year(year, errors: dict) -> int | None:
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["year"] = _("请填写年度")
        return None
    last = clock.today().year + 1
    if not FIRST_YEAR <= year <= last:
        errors["year"] = _("年度应在 %(a)d 至 %(b)d 之间") % {"a": FIRST_YEAR, "b": last}
        return None
    return year


def _number(value, field: str, errors: dict, *, ceiling: Decimal, unit: str) -> Decimal | None:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = _("应为数字")
        return None
    if not number.is_finite():
        errors[field] = _("应为数字")
    elif number <= 0:
        errors[field] = _("应大于 0")
    elif number > ceiling:
        errors[field] = _("超出合理范围（不超过 %(max)s %(unit)s），请检查单位") % {"max": f"{ceiling:,}", "unit": unit}
    else:
        return number.quantize(Decimal("0.01"))
    return None


def _source(source, errors: dict) -> str:
    source = (source or "").strip()
    if len(source) > 200:
        errors["source"] = _("不能超过 %(n)d 个字") % {"n": 200}
    return source


def _province(province) -> Region:
    code = province.code if isinstance(province, Region) else str(province or "").strip()
    found = Region.objects.filter(code=code, level=RegionLevel.PROVINCE).first()
    if found is None:
        raise ValidationFailed(fields={"province": _("“%(v)s”不是省级区划代码") % {"v": code}})
    return found


def collecting_regions(province: Region):
    """The county-level divisions of a province that hold bases: counties, and cities without
    counties (Region.accepts_entities)."""
    has_children = Region.objects.filter(parent_id=OuterRef("pk"))
    return (Region.objects.filter(code__startswith=province.code[:2], is_active=True)
            .filter(Q(level=RegionLevel.COUNTY) | (Q(level=RegionLevel.CITY) & ~Exists(has_children))))


def share_units(province: Region) -> list[Region]:
    """The "cities" a province's share is reported for: its prefecture-level cities, plus the
    counties it administers directly (仙桃, 五指山) as their own; a municipality without cities
    (上海) is itself the one unit."""
    regions = Region.objects.filter(code__startswith=province.code[:2], is_active=True)
    cities = list(regions.filter(level=RegionLevel.CITY).order_by("code"))
    if not cities:
        return [province]
    return cities + list(regions.filter(level=RegionLevel.COUNTY, parent_id=province.code).order_by("code"))


# --- cycles and submissions -------------------------------------------------------------------------


@transaction.atomic
def cycle_open(*, actor, province, year, due_on: datetime.date | None = None) -> CollectionCycle:
    """Open a province's yearly collection: one submission (未填报) per county-level division.
    Provincial staff of that province or national staff; once per province and year (409).
    Side effects: one audit event; the submitters are told."""
    province = _province(province)
    if not (is_national(actor) or is_province_staff(actor, province.code)):
        raise PermissionDenied(_("只有本省（区、市）工作机构或国家级工作机构可以开启信息采集"))
    errors = {}
    year = _year(year, errors)
    if due_on is not None and (not isinstance(due_on, datetime.date) or (year and due_on.year < year)):
        errors["due_on"] = _("截止日期不能早于该年度")
    if errors:
        raise ValidationFailed(fields=errors)
    if CollectionCycle.objects.filter(province=province, year=year).exists():
        raise Conflict(_("%(p)s %(y)d 年度的信息采集已开启") % {"p": province.name, "y": year})
    try:
        with transaction.atomic():
            cycle = CollectionCycle.objects.create(province=province, year=year, due_on=due_on, opened_by=actor)
    except IntegrityError:  # opened at the same moment by someone else
        raise Conflict(_("%(p)s %(y)d 年度的信息采集已开启") % {"p": province.name, "y": year}) from None
    counties = list(collecting_regions(province).values_list("code", flat=True))
    CountySubmission.objects.bulk_create([CountySubmission(cycle=cycle, county_id=code) for code in counties])
    audit.record(actor=actor, verb="bases.cycle_open", target=cycle,
                 new={"province": province.code, "year": year, "due_on": due_on, "counties": len(counties)})
    with_agency = agency_regions(province.code)
    submitters = {parties(r, with_agency).submitter for r in collecting_regions(province)}
    for code in submitters:
        _notify(code, _("%(y)d 年度基地信息采集已开启") % {"y": year},
                _("请填报本地区生产基地信息并提交复核%(due)s。") % {
                    "due": _("（截止 %(d)s）") % {"d": due_on} if due_on else ""}, cycle)
    return cycle


def _snapshot_of(county_code: str) -> dict:
    totals = Base.objects.filter(county_id=county_code, status__in=[BaseStatus.BUILDING, BaseStatus.LISTED]).aggregate(
        base_count=Count("pk"), area_mu=Sum("area_mu"), output_tons=Sum("output_tons"))
    return {"base_count": totals["base_count"], "area_mu": totals["area_mu"] or Decimal("0.00"),
            "output_tons": totals["output_tons"] or Decimal("0.00")}


def live_totals(county_code: str) -> dict:
    """What a submission made now would record (shown next to the submit button)."""
    return _snapshot_of(county_code)


def _event(submission, actor, action: str, comment: str = "") -> SubmissionEvent:
    return SubmissionEvent.objects.create(submission=submission, action=action, to_status=submission.status,
                                          comment=comment, actor=actor)


@transaction.atomic
def submission_submit(*, actor, submission: CountySubmission) -> CountySubmission:
    """The county submits (or resubmits after a return) its base information: the totals of its
    bases that are not removed are recorded as they stand now. Side effects: a history event; one
    audit event; the reviewing agency is told."""
    submission = _locked(actor, submission)
    who = parties(submission.county)
    if agency_region_of(actor) != who.submitter:
        raise PermissionDenied(_("该县（市、区）的基地信息由其县级工作机构填报"))
    if submission.status not in SUBMITTABLE:
        raise TransitionNotAllowed(_("该报送%(s)s，不能提交") % {"s": submission.get_status_display()})
    old = {"status": submission.status}
    action = "resubmit" if submission.status == SubmissionStatus.RETURNED else "submit"
    snapshot = _snapshot_of(submission.county_id)
    for name, value in snapshot.items():
        setattr(submission, name, value)
    submission.status, submission.submitted_at, submission.reviewed_at = SubmissionStatus.SUBMITTED, clock.now(), None
    submission.save()
    _event(submission, actor, action)
    audit.record(actor=actor, verb=f"bases.submission_{action}", target=submission, old=old,
                 new={"status": submission.status, **snapshot})
    cycle = submission.cycle
    _notify(who.reviewer, _("基地信息待复核：%(c)s") % {"c": submission.county.name},
            _("%(c)s 提交了 %(y)d 年度基地信息：%(n)d 个基地，年产量 %(t)s 吨。") % {
                "c": submission.county.name, "y": cycle.year, "n": snapshot["base_count"],
                "t": snapshot["output_tons"]},
            cycle)
    return submission


def _decide(actor, submission: CountySubmission, *, action: str, to_status: str, comment: str) -> CountySubmission:
    submission = _locked(actor, submission)
    who = parties(submission.county)
    if agency_region_of(actor) != who.reviewer:
        raise PermissionDenied(_("该县（市、区）的基地信息由其上一级工作机构复核"))
    if submission.status != SubmissionStatus.SUBMITTED:
        raise TransitionNotAllowed(_("该报送%(s)s，不能%(a)s") % {
            "s": submission.get_status_display(), "a": ACTION_LABELS[action]})
    comment = (comment or "").strip()
    if action == "return" and not comment:
        raise ValidationFailed(fields={"comment": _("退回时须写明意见")})
    old = {"status": submission.status, "comment": submission.comment}
    submission.status, submission.comment = to_status, comment
    submission.reviewed_at = clock.now() if to_status == SubmissionStatus.REVIEWED else None
    submission.save(update_fields=["status", "comment", "reviewed_at", "updated_at"])
    _event(submission, actor, action, comment)
    audit.record(actor=actor, verb=f"bases.submission_{action}", target=submission, old=old,
                 new={"status": to_status, "comment": comment}, reason=comment)
    cycle = submission.cycle
    if action == "return":
        title = _("基地信息被退回：%(c)s") % {"c": submission.county.name}
        body = _("%(y)d 年度基地信息被退回，意见：%(m)s") % {"y": cycle.year, "m": comment}
    else:
        title = _("基地信息已复核：%(c)s") % {"c": submission.county.name}
        body = _("%(y)d 年度基地信息已复核通过。") % {"y": cycle.year}
    _notify(who.submitter, title, body, cycle)
    return submission


@transaction.atomic
def submission_return(*, actor, submission: CountySubmission, comment: str) -> CountySubmission:
    """The reviewing agency returns a submitted county's information with its comments; the county
    corrects its bases and resubmits. Side effects: a history event; one audit event; the county
    is told."""
    return _decide(actor, submission, action="return", to_status=SubmissionStatus.RETURNED, comment=comment)


@transaction.atomic
def submission_review(*, actor, submission: CountySubmission, comment: str = "") -> CountySubmission:
    """The reviewing agency accepts a submitted county's information (复核); from then on its
    snapshot counts in the city's production share. Side effects: a history event; one audit event;
    the county is told."""
    return _decide(actor, submission, action="review", to_status=SubmissionStatus.REVIEWED, comment=comment)


# --- the figures of the share -----------------------------------------------------------------------


@transaction.atomic
def region_production_set(*, actor, region, year, total_output_tons, source: str = "") -> RegionProduction:
    """Enter or correct a city's total edible agricultural production for a year (the denominator
    of the share): provincial staff of its province, or the city's own staff. Side effects: one
    audit event with the old and new values."""
    code = region.code if isinstance(region, Region) else str(region or "").strip()
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationFailed(fields={"region": _("“%(v)s”不是区划代码") % {"v": code}})
    province = Region.objects.get(code=region.province_code)
    if region.code not in {u.code for u in share_units(province)}:
        raise ValidationFailed(fields={"region": _("%(r)s不是设区市（或省直管县、直辖市），不单独统计生产总量")
                                                 % {"r": region.name}})
    if not (is_province_staff(actor, province.code) or agency_region_of(actor) == region.code):
        raise PermissionDenied(_("生产总量由省级工作机构或本市工作机构录入"))
    errors = {}
    year = _year(year, errors)
    total = _number(total_output_tons, "total_output_tons", errors, ceiling=MAX_PRODUCTION_TONS, unit=_("吨"))
    source = _source(source, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    row = RegionProduction.objects.select_for_update().filter(region=region, year=year).first()
    old = {"total_output_tons": row.total_output_tons, "source": row.source} if row else None
    if row is None:
        row = RegionProduction(region=region, year=year)
    row.total_output_tons, row.source, row.entered_by = total, source, actor
    row.save()
    audit.record(actor=actor, verb="bases.region_production_set", target=row, old=old,
                 new={"region": region.code, "year": year, "total_output_tons": total, "source": source})
    return row


@transaction.atomic
def share_target_set(*, actor, province, year, min_percent, source: str = "") -> ShareTarget:
    """Set a province's minimum share of base production for a year: provincial staff of the
    province or national staff. Side effects: one audit event with the old and new values."""
    province = _province(province)
    if not (is_national(actor) or is_province_staff(actor, province.code)):
        raise PermissionDenied(_("占比目标由本省（区、市）工作机构或国家级工作机构设定"))
    errors = {}
    year = _year(year, errors)
    percent = _number(min_percent, "min_percent", errors, ceiling=Decimal("100"), unit="%")
    source = _source(source, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    row = ShareTarget.objects.select_for_update().filter(province=province, year=year).first()
    old = {"min_percent": row.min_percent, "source": row.source} if row else None
    if row is None:
        row = ShareTarget(province=province, year=year)
    row.min_percent, row.source = percent, source
    row.save()
    audit.record(actor=actor, verb="bases.share_target_set", target=row, old=old,
                 new={"province": province.code, "year": year, "min_percent": percent, "source": source})
    return row


# --- reads ------------------------------------------------------------------------------------------


def visible_cycles(user):
    """Cycles of the user's province (a county or city sees its province's cycle); all for
    national staff. CollectionCycle's own scope rule matches only provincial staff, since a
    county's code is not a prefix of its province's."""
    scope = scope_for(user, "view", CollectionCycle)
    rows = CollectionCycle.objects.select_related("province")
    if scope.kind == ALL:
        return rows
    if scope.kind == REGION:
        return rows.filter(province_id=scope.value[:2] + "0000")
    return rows.none()


def visible_cycle(user, pk) -> CollectionCycle:
    if not user.roles & REVIEW_STAFF_ROLES:
        raise PermissionDenied()
    try:
        return visible_cycles(user).get(pk=pk)
    except (CollectionCycle.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def cycle_submissions(user, cycle: CollectionCycle):
    """The cycle's submissions within the user's region, with their counties and history."""
    return (CountySubmission.objects.restrict(user, "view").filter(cycle=cycle).select_related("county")
            .prefetch_related("events__actor").order_by("county_id"))


def visible_submission(user, pk) -> CountySubmission:
    if not user.roles & REVIEW_STAFF_ROLES:
        raise PermissionDenied()
    try:
        return (CountySubmission.objects.restrict(user, "view").select_related("county", "cycle__province")
                .get(pk=pk))
    except (CountySubmission.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def may_open_cycle(user) -> list[Region]:
    """The provinces the user may open a cycle for."""
    if not user.is_authenticated:
        return []
    if is_national(user):
        return list(Region.objects.filter(level=RegionLevel.PROVINCE, is_active=True).order_by("code"))
    region = agency_region_of(user)
    if region and user.agency.level == AgencyLevel.PROVINCE:
        return list(Region.objects.filter(code=region))
    return []
