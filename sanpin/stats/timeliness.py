"""Step timeliness per agency (审核时效) [001 §7]: how many review steps each working agency
finished by their deadline, late, or still has open past it.

A step counts in year Y when it has a time limit (a deadline row) and either finished in Y, or is
still open today, running (not paused for supplements or a special test), already past its due
date and was due by the end of Y. It finished on time when the day it finished is on or before its
due date; a step resumed after a supplement is judged against its resumed deadline, so time the
applicant took does not count against the agency.

The responsible agency follows the scheme's step level: "national" → the national agency; "province",
"city", "county" → the agency of that level over the applicant's region (first 2, 4 or all 6
digits of its code). Applicant, expert-panel and lab steps are not agency steps and are left out.
The counts are aggregated in one SQL query by level and region prefix; agencies are then matched in
Python (two more small queries), so the cost does not grow with the number of steps.

The mean working days taken is not computed: working days come from the holiday-notice calendar,
which SQL cannot count, and a per-step Python count is what statistics here must avoid."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Substr, TruncDate

from sanpin.accounts.choices import AgencyLevel
from sanpin.accounts.models import Agency
from sanpin.catalog.models import Region
from sanpin.certification.models import Step
from sanpin.core import clock

# Agency levels and how many leading digits of the applicant's region code name the agency's region.
PREFIX_WIDTH = {AgencyLevel.NATIONAL: 0, AgencyLevel.PROVINCE: 2, AgencyLevel.CITY: 4, AgencyLevel.COUNTY: 6}
LEVEL_ORDER = {level: i for i, level in enumerate(PREFIX_WIDTH)}


@dataclass(frozen=True)
class AgencyTimeliness:
    """The steps one responsible agency (or, where none is registered, the level and region that
    should have one) had in the year."""

    level: str
    region: Region | None  # None: the national level
    agency: Agency | None  # None: no agency of this level is registered for the region
    finished: int
    on_time: int
    open_overdue: int

    @property
    def late(self) -> int:
        return self.finished - self.on_time

    @property
    def counted(self) -> int:
        return self.finished + self.open_overdue

    @property
    def percent(self) -> Decimal | None:
        """On-time rate: finished on time out of finished plus still open past the deadline (a step
        left open past its deadline is late as well, whether or not it has been finished yet)."""
        if not self.counted:
            return None
        return (Decimal(self.on_time) * 100 / self.counted).quantize(Decimal("0.1"))

    @property
    def level_label(self) -> str:
        return str(AgencyLevel(self.level).label)


def agency_step_levels() -> dict[str, dict[str, list[str]]]:
    """Agency level → scheme → the codes of that scheme's steps at that level."""
    from sanpin.certification.schemes import SCHEMES

    levels: dict[str, dict[str, list[str]]] = {}
    for scheme_code, config in SCHEMES.items():
        for spec in config.steps.values():
            level = str(spec.level)
            if level in PREFIX_WIDTH:
                levels.setdefault(level, {}).setdefault(scheme_code, []).append(spec.code)
    return levels


def _steps_at(by_scheme: dict[str, list[str]]) -> Q:
    q = Q(pk__in=[])
    for scheme_code, codes in by_scheme.items():
        q |= Q(application__scheme=scheme_code, code__in=codes)
    return q


def step_timeliness(*, year: int, region: Region | None = None, today: date | None = None) -> list[AgencyTimeliness]:
    """Per responsible agency inside `region` (None: the whole country, national agency included)."""
    today = today or clock.today()
    prefix = region.scope_prefix if region is not None else ""
    # Only the levels whose agencies lie inside the region asked for: a city sees its own and its
    # counties' steps, not the province's steps about its applicants.
    levels = {
        level: by_scheme for level, by_scheme in agency_step_levels().items()
        if (level == AgencyLevel.NATIONAL and region is None)
        or (level != AgencyLevel.NATIONAL and PREFIX_WIDTH[level] >= len(prefix))
    }
    if not levels:
        return []
    region_field = "application__entity__region_id"
    level_case = Case(*[When(_steps_at(s), then=Value(str(level))) for level, s in levels.items()],
                      default=Value(""), output_field=CharField())
    prefix_case = Case(
        *[When(_steps_at(s), then=Substr(region_field, 1, PREFIX_WIDTH[level]) if PREFIX_WIDTH[level] else Value(""))
          for level, s in levels.items()],
        default=Value(""), output_field=CharField(),
    )
    finished_in_year = Q(finished_at__year=year)
    open_overdue = Q(finished_at__isnull=True, paused_at__isnull=True, application__state=F("code"),
                     deadline__due_on__lt=today, deadline__due_on__lte=date(year, 12, 31))
    steps = Step.objects.filter(deadline__isnull=False).filter(finished_in_year | open_overdue)
    steps = steps.filter(_any_of(levels))
    if prefix:
        steps = steps.filter(application__entity__region__code__startswith=prefix)
    rows = (
        steps.annotate(level=level_case, prefix=prefix_case, finished_on=TruncDate("finished_at"))
        .order_by().values("level", "prefix")
        .annotate(
            finished=Count("pk", filter=Q(finished_at__isnull=False)),
            on_time=Count("pk", filter=Q(finished_at__isnull=False, finished_on__lte=F("deadline__due_on"))),
            open_overdue=Count("pk", filter=Q(finished_at__isnull=True)),
        )
    )
    counts = {(row["level"], _region_code(row["level"], row["prefix"])): row for row in rows}
    if not counts:
        return []

    codes = {code for _, code in counts if code}
    regions = Region.objects.in_bulk(list(codes))
    agencies: dict[tuple[str, str], Agency] = {}
    wanted = Q(level=AgencyLevel.NATIONAL) if (AgencyLevel.NATIONAL, "") in counts else Q(pk__in=[])
    wanted |= Q(level__in=[level for level, code in counts if code], region_id__in=codes)
    for agency in Agency.objects.filter(wanted).select_related("region").order_by("name"):
        agencies.setdefault((agency.level, agency.region_id or ""), agency)

    result = [
        AgencyTimeliness(level, regions.get(code), agencies.get((level, code)), row["finished"], row["on_time"],
                         row["open_overdue"])
        for (level, code), row in counts.items()
    ]
    result.sort(key=lambda r: (LEVEL_ORDER.get(r.level, 99), r.region.code if r.region else ""))
    return result


def _any_of(levels: dict[str, dict[str, list[str]]]) -> Q:
    q = Q(pk__in=[])
    for by_scheme in levels.values():
        q |= _steps_at(by_scheme)
    return q


def _region_code(level: str, prefix: str) -> str:
    """The 6-digit code of the agency's region: 45 → 450000, 4501 → 450100; "" for national."""
    return prefix.ljust(6, "0") if prefix else ""
