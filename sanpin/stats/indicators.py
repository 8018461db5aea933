"""The indicators the offices are judged by (SPEC §8), per child region of a region, for a scheme
and a period: one plain row per child region and a total row.

What each figure counts (the period is a year, or a range of months of one year):

- valid: certificates valid on the last day of the period (or today, if earlier): stored status
  valid or in rectification, the day within the term; GI registrations still registered then.
- new / renewed: terms approved in the period, without / with a predecessor (a renewal term);
  GI registrations registered in the period count as new.
- renewal rate: terms ending in the period (not stopped or revoked) continued without a gap by a
  renewal approved by their last day (the definition of review_quality.renewal_rates) ÷ those
  ending.
- first-pass rates (review_quality.first_pass_rates), annual-inspection coverage
  (inspections.selectors.coverage), sampling pass rate (sampling.selectors.pass_rates) and the
  合格证 issuing rate (compliance.rates.issuing_rates) are those modules' own figures for the year
  (the issuing rate for the month when the period is one month); step timeliness
  (timeliness.step_timeliness) is per responsible agency, a table of its own.
- bases: bases listed in the directory now; base production share from bases.share.share_table
  (per city of a province; a city's own share for a city; not defined per province).
- fee waivers: applications with a waived fee assessed in the period, and the amount waived.
- credit: entities per grade (CreditStanding, as last computed).

Everything is counted by SQL aggregation grouped by the child region's code prefix
(drilldown.child_key); the number of queries does not grow with the number of regions or rows."""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.catalog.models import Region
from sanpin.certificates.choices import FINAL, Scheme, Status
from sanpin.core import clock
from sanpin.core.dates import add_months
from sanpin.core.errors import ValidationFailed

from . import drilldown

ALL = "all"
SCHEME_CHOICES = [(ALL, _("全部认证类型"))] + [(value, label) for value, label in Scheme.choices]
GRADES = ("A", "B", "C", "D")
VALID_STATUSES = (Status.VALID, Status.IN_RECTIFICATION)


def scheme_label(scheme: str) -> str:
    return str(dict(SCHEME_CHOICES).get(scheme, scheme))


@dataclass(frozen=True)
class Period:
    year: int
    first_month: int = 1
    last_month: int = 12

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        return add_months(datetime.date(self.year, self.last_month, 1), 1) - datetime.timedelta(days=1)

    @property
    def whole_year(self) -> bool:
        return (self.first_month, self.last_month) == (1, 12)

    @property
    def single_month(self) -> int | None:
        return self.first_month if self.first_month == self.last_month else None

    @property
    def label(self) -> str:
        if self.whole_year:
            return _("%(y)d 年") % {"y": self.year}
        if self.single_month:
            return _("%(y)d 年 %(m)d 月") % {"y": self.year, "m": self.first_month}
        return _("%(y)d 年 %(a)d–%(b)d 月") % {"y": self.year, "a": self.first_month, "b": self.last_month}

    def counting_day(self, today: datetime.date) -> datetime.date:
        """The day valid certificates are counted on: the period's last day, or today if earlier."""
        return min(self.end, today)


def parse_period(params) -> Period:
    """`year` (default this year), optional `month_from` / `month_to` (1–12)."""
    raw = (params.get("year") or "").strip()
    if not raw:
        year = clock.today().year
    elif raw.isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    else:
        raise ValidationFailed(fields={"year": _("年份应为 2000–2100 的整数")})
    months = []
    for name, default in (("month_from", 1), ("month_to", 12)):
        value = (params.get(name) or "").strip()
        if not value:
            months.append(default)
        elif value.isdigit() and 1 <= int(value) <= 12:
            months.append(int(value))
        else:
            raise ValidationFailed(fields={name: _("月份应为 1–12")})
    if months[0] > months[1]:
        raise ValidationFailed(fields={"month_to": _("结束月份不能早于开始月份")})
    return Period(year, months[0], months[1])


def parse_scheme(params) -> str:
    scheme = (params.get("scheme") or "").strip() or ALL
    if scheme not in dict(SCHEME_CHOICES):
        raise ValidationFailed(fields={"scheme": _("认证类型不正确")})
    return scheme


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


@dataclass
class Row:
    """The figures of one region. Rates are derived from the counts, so a total row is a sum."""

    code: str
    name: str
    map_name: str = ""
    valid: int = 0
    new: int = 0
    renewed: int = 0
    expiring: int = 0
    renewed_in_time: int = 0
    first_decided: int = 0
    first_passed: int = 0
    renewal_decided: int = 0
    renewal_passed: int = 0
    inspection_due: int = 0
    inspected: int = 0
    sampled: int = 0
    sampled_passed: int = 0
    bases_listed: int = 0
    base_share: Decimal | None = None
    waivers: int = 0
    waived_amount: Decimal = Decimal("0.00")
    issuing_covered: int = 0
    issuing: int = 0
    grades: dict = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    by_scheme: dict = field(default_factory=dict)  # scheme → {"valid", "new", "renewed"}

    SUMMED = ("valid", "new", "renewed", "expiring", "renewed_in_time", "first_decided", "first_passed",
              "renewal_decided", "renewal_passed", "inspection_due", "inspected", "sampled", "sampled_passed",
              "bases_listed", "waivers", "waived_amount", "issuing_covered", "issuing")

    @property
    def renewal_rate(self):
        return _percent(self.renewed_in_time, self.expiring)

    @property
    def first_pass_rate(self):
        return _percent(self.first_passed, self.first_decided)

    @property
    def renewal_pass_rate(self):
        return _percent(self.renewal_passed, self.renewal_decided)

    @property
    def inspection_coverage(self):
        return _percent(self.inspected, self.inspection_due)

    @property
    def sampling_pass_rate(self):
        return _percent(self.sampled_passed, self.sampled)

    @property
    def issuing_rate(self):
        return _percent(self.issuing, self.issuing_covered)

    RATES = ("renewal_rate", "first_pass_rate", "renewal_pass_rate", "inspection_coverage", "sampling_pass_rate",
             "issuing_rate")

    def add(self, other: "Row") -> None:
        for name in self.SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for grade in GRADES:
            self.grades[grade] += other.grades.get(grade, 0)
        for scheme, figures in other.by_scheme.items():
            mine = self.by_scheme.setdefault(scheme, {"valid": 0, "new": 0, "renewed": 0})
            for key, value in figures.items():
                mine[key] += value

    def as_dict(self) -> dict:
        """Plain JSON values (decimals as strings), the rates included."""
        data = asdict(self)
        data["waived_amount"] = str(self.waived_amount)
        data["base_share"] = None if self.base_share is None else str(self.base_share)
        for name in self.RATES:
            value = getattr(self, name)
            data[name] = None if value is None else str(value)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Row":
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["waived_amount"] = Decimal(values.get("waived_amount") or "0")
        if values.get("base_share") is not None:
            values["base_share"] = Decimal(values["base_share"])
        return cls(**values)


@dataclass
class Indicators:
    """The indicators of one region, scheme and period: a row per child region, the total row, the
    timeliness table (per agency), the monthly trend, and when it was computed (or frozen)."""

    region_code: str  # "" for the whole country
    region_name: str
    scheme: str
    period: Period
    rows: list[Row]
    total: Row
    timeliness: list[dict]
    trend: list[dict]  # one per month of the period: {"month", "new", "renewed"}
    computed_at: str
    frozen_month: str = ""  # "YYYY-MM" when read from a snapshot

    @property
    def region_label(self) -> str:
        return self.region_name or _("全国")

    @property
    def timeliness_total(self) -> dict:
        finished = sum(r["finished"] for r in self.timeliness)
        on_time = sum(r["on_time"] for r in self.timeliness)
        open_overdue = sum(r["open_overdue"] for r in self.timeliness)
        percent = _percent(on_time, finished + open_overdue)
        return {"finished": finished, "on_time": on_time, "late": finished - on_time, "open_overdue": open_overdue,
                "percent": None if percent is None else str(percent)}

    def as_dict(self) -> dict:
        return {
            "region": {"code": self.region_code, "name": self.region_label}, "scheme": self.scheme,
            "period": {"year": self.period.year, "month_from": self.period.first_month,
                       "month_to": self.period.last_month, "label": self.period.label},
            "rows": [row.as_dict() for row in self.rows], "total": self.total.as_dict(),
            "timeliness": self.timeliness, "timeliness_total": self.timeliness_total, "trend": self.trend,
            "computed_at": self.computed_at, "frozen_month": self.frozen_month,
        }

    @classmethod
    def from_dict(cls, data: dict, *, frozen_month: str = "") -> "Indicators":
        period = data["period"]
        region = data["region"]
        return cls(
            region_code=region["code"], region_name=region["name"] if region["code"] else "",
            scheme=data["scheme"], period=Period(period["year"], period["month_from"], period["month_to"]),
            rows=[Row.from_dict(r) for r in data["rows"]], total=Row.from_dict(data["total"]),
            timeliness=data["timeliness"], trend=data["trend"], computed_at=data["computed_at"],
            frozen_month=frozen_month or data.get("frozen_month", ""),
        )


# --- the computation -------------------------------------------------------------------------------


def compute(*, region: Region | None, scheme: str = ALL, period: Period, today: datetime.date | None = None
            ) -> Indicators:
    """The indicators for the children of `region` (None: the provinces of the whole country)."""
    today = today or clock.today()
    children = drilldown.child_regions(region)
    rows = {child.scope_prefix: Row(code=child.code, name=child.name, map_name=drilldown.map_name(child))
            for child in children}
    scheme_filter = "" if scheme == ALL else scheme
    trend = {month: {"month": month, "new": 0, "renewed": 0}
             for month in range(period.first_month, period.last_month + 1)}

    if children:
        _certificates(rows, trend, region, drilldown.child_key("holder__region", children), scheme_filter, period,
                      today)
        _gi(rows, trend, region, drilldown.child_key("holder__region", children), scheme_filter, period, today)
        _fees(rows, region, children, scheme_filter, period)
        _bases(rows, region, children)
        _credit(rows, region, children)
        _reused_rates(rows, region, scheme_filter, period)

    total = Row(code=region.code if region else "", name=region.name if region else _("全国"))
    for row in rows.values():
        total.add(row)
    _base_share(rows, total, region, period)
    total.grades = _credit_total(region)

    from .api.views import timeliness_row
    from .timeliness import step_timeliness

    timeliness = [_plain(timeliness_row(r)) for r in step_timeliness(year=period.year, region=region, today=today)]
    return Indicators(
        region_code=region.code if region else "", region_name=region.name if region else "",
        scheme=scheme, period=period, rows=list(rows.values()), total=total, timeliness=timeliness,
        trend=list(trend.values()), computed_at=timezone.localtime().isoformat(timespec="seconds"),
    )


def _plain(row: dict) -> dict:
    row = dict(row)
    row["percent"] = None if row["percent"] is None else str(row["percent"])
    row["agency_level_label"] = _level_label(row["agency_level"])
    return row


def _level_label(level: str) -> str:
    from sanpin.accounts.choices import AgencyLevel

    return str(AgencyLevel(level).label) if level in AgencyLevel.values else level


def _in_period(name: str, period: Period) -> Q:
    return Q(**{f"{name}__gte": period.start, f"{name}__lte": period.end})


def _certificates(rows, trend, region, key, scheme, period, today):
    from sanpin.certificates.models import Certificate

    day = period.counting_day(today)
    certs = Certificate.objects.filter(drilldown.within("holder__region", region))
    if scheme:
        certs = certs.filter(scheme=scheme)
    valid_on_day = Q(status__in=VALID_STATUSES, valid_from__lte=day, valid_until__gte=day)
    approved = _in_period("approved_on", period)
    ending = _in_period("valid_until", period) & ~Q(status__in=list(FINAL))
    certs = certs.filter(valid_on_day | approved | ending)
    continued = Exists(Certificate.objects.filter(predecessor=OuterRef("pk"), approved_on__lte=OuterRef("valid_until")))
    grouped = (
        certs.annotate(key=key, continued=continued)
        .values("key", "scheme").order_by()
        .annotate(valid=Count("pk", filter=valid_on_day),
                  new=Count("pk", filter=approved & Q(predecessor__isnull=True)),
                  renewed=Count("pk", filter=approved & Q(predecessor__isnull=False)),
                  expiring=Count("pk", filter=ending),
                  renewed_in_time=Count("pk", filter=ending & Q(continued=True)))
    )
    for line in grouped:
        row = rows.get(line["key"])
        if row is None:
            continue
        for name in ("valid", "new", "renewed", "expiring", "renewed_in_time"):
            setattr(row, name, getattr(row, name) + line[name])
        row.by_scheme[line["scheme"]] = {"valid": line["valid"], "new": line["new"], "renewed": line["renewed"]}
    monthly = (
        certs.filter(approved).annotate(month=ExtractMonth("approved_on")).values("month").order_by()
        .annotate(new=Count("pk", filter=Q(predecessor__isnull=True)),
                  renewed=Count("pk", filter=Q(predecessor__isnull=False)))
    )
    for line in monthly:
        if line["month"] in trend:
            trend[line["month"]]["new"] += line["new"]
            trend[line["month"]]["renewed"] += line["renewed"]


def _gi(rows, trend, region, key, scheme, period, today):
    """GI registrations have no term and no renewal: registered → valid, registered in period → new."""
    if scheme and scheme != Scheme.GI:
        return
    from sanpin.gi.choices import RegistrationStatus
    from sanpin.gi.models import GIRegistration

    day = period.counting_day(today)
    registrations = GIRegistration.objects.filter(drilldown.within("holder__region", region))
    valid_on_day = Q(status=RegistrationStatus.REGISTERED, registered_on__lte=day)
    registered = _in_period("registered_on", period)
    grouped = (
        registrations.annotate(key=key).values("key").order_by()
        .annotate(valid=Count("pk", filter=valid_on_day), new=Count("pk", filter=registered))
    )
    for line in grouped:
        row = rows.get(line["key"])
        if row is None:
            continue
        row.valid += line["valid"]
        row.new += line["new"]
        row.by_scheme[str(Scheme.GI)] = {"valid": line["valid"], "new": line["new"], "renewed": 0}
    monthly = (registrations.filter(registered).annotate(month=ExtractMonth("registered_on")).values("month")
               .order_by().annotate(new=Count("pk")))
    for line in monthly:
        if line["month"] in trend:
            trend[line["month"]]["new"] += line["new"]


def _fees(rows, region, children, scheme, period):
    from sanpin.certification.models import Fee

    fees = Fee.objects.filter(drilldown.within("application__entity__region", region), waived_amount__gt=0,
                              assessed_on__gte=period.start, assessed_on__lte=period.end)
    if scheme:
        fees = fees.filter(application__scheme=scheme)
    grouped = (fees.annotate(key=drilldown.child_key("application__entity__region", children)).values("key")
               .order_by().annotate(waivers=Count("application", distinct=True), amount=Sum("waived_amount")))
    for line in grouped:
        row = rows.get(line["key"])
        if row is not None:
            row.waivers = line["waivers"]
            row.waived_amount = (line["amount"] or Decimal("0")).quantize(Decimal("0.01"))


def _bases(rows, region, children):
    from sanpin.bases.choices import BaseStatus
    from sanpin.bases.models import Base

    grouped = (Base.objects.filter(drilldown.within("county", region), status=BaseStatus.LISTED)
               .annotate(key=drilldown.child_key("county", children)).values("key").order_by()
               .annotate(n=Count("pk")))
    for line in grouped:
        if line["key"] in rows:
            rows[line["key"]].bases_listed = line["n"]


def _credit(rows, region, children):
    from sanpin.credit.models import CreditStanding

    grouped = (CreditStanding.objects.filter(drilldown.within("entity__region", region))
               .annotate(key=drilldown.child_key("entity__region", children)).values("key", "grade").order_by()
               .annotate(n=Count("pk")))
    for line in grouped:
        row = rows.get(line["key"])
        if row is not None and line["grade"] in row.grades:
            row.grades[line["grade"]] = line["n"]


def _credit_total(region) -> dict:
    """The region's grade distribution from the credit module: it counts entities anywhere in the
    region, also those of an inactive division that no child row shows."""
    from sanpin.credit.standing import grade_distribution

    distribution = grade_distribution(region=region)
    return {grade: int(distribution.get(grade, 0) or 0) for grade in GRADES}


def _reused_rates(rows, region, scheme, period):
    """The rates other modules already compute per child region, matched by region code."""
    from sanpin.compliance.rates import issuing_rates
    from sanpin.inspections.selectors import coverage
    from sanpin.sampling.selectors import pass_rates

    from .review_quality import first_pass_rates

    by_code = {row.code: row for row in rows.values()}
    for rates in first_pass_rates(year=period.year, region=region, scheme=scheme):
        row = by_code.get(rates.region.code)
        if row is not None:
            row.first_decided, row.first_passed = rates.first.decided, rates.first.passed_once
            row.renewal_decided, row.renewal_passed = rates.renewal.decided, rates.renewal.passed_once
    for item in coverage(year=period.year, region=region):
        row = by_code.get(item.region.code)
        if row is not None:
            row.inspection_due, row.inspected = item.planned, item.inspected
    sampled, _total = pass_rates(year=period.year, region=region, scheme=scheme)
    for item in sampled:
        row = by_code.get(item.region.code)
        if row is not None:
            row.sampled, row.sampled_passed = item.tested, item.passed
    for item in issuing_rates(year=period.year, month=period.single_month, region=region):
        row = by_code.get(item.region.code)
        if row is not None:
            row.issuing_covered, row.issuing = item.covered, item.issuing


def _base_share(rows, total, region, period):
    """Base production share (bases.share): per city for a province, the city's own for a city."""
    from sanpin.bases.share import share_table
    from sanpin.catalog.choices import RegionLevel

    if region is None:
        return
    province = region if region.level == RegionLevel.PROVINCE else None
    if province is None and region.level == RegionLevel.CITY and region.parent_id:
        province = region.parent
    if province is None:
        return
    table = share_table(province=province, year=period.year)
    if province.code == region.code:
        by_code = {row.code: row for row in rows.values()}
        for share_row in table.rows:
            if share_row.code in by_code:
                by_code[share_row.code].base_share = share_row.share_percent
        total.base_share = table.total.share_percent
    else:
        own = next((r for r in table.rows if r.code == region.code), None)
        total.base_share = own.share_percent if own else None


# --- public headline figures -----------------------------------------------------------------------


def public_headlines(today: datetime.date | None = None) -> dict:
    """The country's headline figures for the public statistics page: valid products per scheme,
    new this year, bases listed, this year's sampling pass rate. Aggregates only; no map, no
    region breakdown. Cached for ten minutes (it is on a public page)."""
    from django.core.cache import cache

    today = today or clock.today()
    key = f"stats:public-headlines:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    ind_period = Period(today.year)
    rows = {"": Row(code="", name="")}
    trend = {m: {"month": m, "new": 0, "renewed": 0} for m in range(1, 13)}
    everything = Value("", output_field=CharField())  # one group: the whole country
    _certificates(rows, trend, None, everything, "", ind_period, today)
    _gi(rows, trend, None, everything, "", ind_period, today)
    from sanpin.bases.choices import BaseStatus
    from sanpin.bases.models import Base
    from sanpin.sampling.selectors import pass_rates

    _rows, sampling = pass_rates(year=today.year, region=None)
    total = rows[""]
    result = {
        "year": today.year, "on": today.isoformat(),
        "schemes": [{"scheme": value, "label": str(label), "valid": total.by_scheme.get(value, {}).get("valid", 0)}
                    for value, label in Scheme.choices],
        "valid": total.valid, "new": total.new,
        "bases_listed": Base.objects.filter(status=BaseStatus.LISTED).count(),
        "sampled": sampling.tested,
        "sampling_pass_rate": None if sampling.percent is None else str(sampling.percent),
    }
    cache.set(key, result, 600)
    return result
