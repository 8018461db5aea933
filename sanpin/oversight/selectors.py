"""Reads for oversight: scoped lists and single records (403 for a role that may never act, 404
when missing or out of scope), the filters the pages and the API share, and the market-check
figures per region and year (computed in SQL)."""

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear, Substr

from sanpin.catalog.models import Region
from sanpin.certificates.models import Certificate
from sanpin.certificates.selectors import term_on
from sanpin.core import clock
from sanpin.core.access import ALL, REGION, access_by_id, scope_for
from sanpin.core.errors import NotFound

from .models import (
    CaseKind,
    Complaint,
    FlightInspection,
    LabelFiling,
    MarkCase,
    MarketCheck,
    MarketCheckItem,
    RiskProject,
    RiskRecord,
)


def risk_projects(user, action="view"):
    return RiskProject.objects.restrict(user, action).select_related("organiser").distinct()


def risk_project(user, pk, action="view") -> RiskProject:
    return access_by_id(RiskProject.objects.select_related("organiser").distinct(), user, pk, action)


def risk_records(user, project=None, action="view"):
    rows = RiskRecord.objects.restrict(user, action).select_related("project", "certificate__holder", "region",
                                                                     "rectification")
    return rows.filter(project=project) if project is not None else rows


def risk_record(user, pk, action="view") -> RiskRecord:
    return access_by_id(RiskRecord.objects.select_related("project", "certificate__holder", "region",
                                                         "rectification"), user, pk, action)


def flights(user, action="view"):
    return FlightInspection.objects.restrict(user, action).select_related("certificate__holder", "planned_by")


def flight(user, pk, action="view") -> FlightInspection:
    return access_by_id(FlightInspection.objects.select_related("certificate__holder", "planned_by", "recorded_by",
                                                               "rectification", "revocation"), user, pk, action)


def market_checks(user, action="view"):
    return MarketCheck.objects.restrict(user, action).select_related("region").annotate(
        item_count=Count("items", distinct=True),
        case_count=Count("items__case", distinct=True))


def market_check(user, pk, action="view") -> MarketCheck:
    return access_by_id(MarketCheck.objects.select_related("region", "recorded_by"), user, pk, action)


def market_item(user, check_pk, item_pk, action="view") -> MarketCheckItem:
    check = market_check(user, check_pk, action)
    item = MarketCheckItem.objects.filter(market_check=check, pk=item_pk).select_related("certificate").first()
    if item is None:
        raise NotFound()
    return item


def mark_cases(user, action="view"):
    return MarkCase.objects.restrict(user, action).select_related("region", "holder", "item__market_check")


def mark_case(user, pk, action="view") -> MarkCase:
    return access_by_id(MarkCase.objects.select_related("region", "holder", "item__market_check"), user, pk, action)


def label_filings(user, action="view"):
    return LabelFiling.objects.restrict(user, action).select_related("certificate__holder", "submitted_by")


def label_filing(user, pk, action="view") -> LabelFiling:
    return access_by_id(LabelFiling.objects.select_related("certificate__holder", "submitted_by", "reviewed_by"),
                        user, pk, action)


def complaints(user, action="view"):
    return Complaint.objects.restrict(user, action).select_related("region", "assigned_to", "certificate")


def complaint(user, pk, action="view") -> Complaint:
    return access_by_id(Complaint.objects.select_related("region", "assigned_to", "certificate__holder",
                                                       "rectification"), user, pk, action)


def certificate_in_scope(user, number: str) -> Certificate:
    """The term of `number` in force today that the user may see (404 otherwise)."""
    number = (number or "").strip()
    found = term_on(Certificate.objects.restrict(user, "view").select_related("holder"), number, clock.today()) \
        if number else None
    if found is None:
        raise NotFound()
    return found


def filter_rows(queryset, *, q="", status="", year=None, fields=(), status_field="status", year_field=None):
    if status:
        queryset = queryset.filter(**{status_field: status})
    if year and year_field:
        queryset = queryset.filter(**{year_field: year})
    q = (q or "").strip()
    if q and fields:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": q})
        queryset = queryset.filter(condition)
    return queryset


def _group_length(user) -> tuple[int, str]:
    """The length of the region-code prefix the figures are grouped by: provinces for national
    staff, cities for a province, counties below; and the caller's own prefix."""
    scope = scope_for(user, "view", MarketCheck)
    if scope.kind == ALL:
        return 2, ""
    if scope.kind == REGION:
        prefix = str(scope.value)
        return min(len(prefix) + 2, 6), prefix
    return 0, ""


def market_figures(user, year: int | None = None) -> list[dict]:
    """Per child region of the caller's scope and per year: checks, items seen, counterfeit marks
    and unauthorised uses found. Counted in SQL over the scoped rows."""
    length, _prefix = _group_length(user)
    if not length:
        return []
    checks = MarketCheck.objects.restrict(user, "view")
    items = MarketCheckItem.objects.filter(market_check__in=checks)
    if year:
        checks = checks.filter(checked_on__year=year)
        items = items.filter(market_check__checked_on__year=year)
    check_rows = (checks.annotate(area=Substr("region_id", 1, length), year=ExtractYear("checked_on"))
                  .values("area", "year").annotate(checks=Count("pk")))
    item_rows = (items.annotate(area=Substr("market_check__region_id", 1, length),
                                year=ExtractYear("market_check__checked_on"))
                 .values("area", "year")
                 .annotate(items=Count("pk"),
                           counterfeit=Count("pk", filter=Q(case__kind=CaseKind.COUNTERFEIT)),
                           unauthorised=Count("pk", filter=Q(case__kind=CaseKind.UNAUTHORISED))))
    table: dict = {}
    for row in check_rows:
        table.setdefault((row["area"], row["year"]), {"checks": 0, "items": 0, "counterfeit": 0,
                                                     "unauthorised": 0})["checks"] = row["checks"]
    for row in item_rows:
        entry = table.setdefault((row["area"], row["year"]), {"checks": 0, "items": 0, "counterfeit": 0,
                                                             "unauthorised": 0})
        entry.update(items=row["items"], counterfeit=row["counterfeit"], unauthorised=row["unauthorised"])
    codes = {area.ljust(6, "0") for area, _year in table}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        {"region": area.ljust(6, "0"), "region_name": names.get(area.ljust(6, "0"), area.ljust(6, "0")),
         "year": year_, **values}
        for (area, year_), values in sorted(table.items(), key=lambda kv: (-kv[0][1], kv[0][0]))
    ]
