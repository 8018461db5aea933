"""Chinese working-day arithmetic over the holiday-notice table.

Rules: Saturdays and Sundays are off; a notice's `off_days` are off and its `workdays` (调休
make-up weekend days) are on. The dates of year Y are governed by the notice of year Y. A year
without a notice is counted by weekends only, and any result whose counted days reach into such a
year is *provisional*: it carries a Chinese reason and is recomputed when the notice is entered
(see sanpin.core.calendar_services).

Every function reads one immutable in-memory `Snapshot` of the whole table (a few dozen rows).
Each process keeps its snapshot together with a version token held in Django's cache; saving a
notice bumps the token (`invalidate`), so every process reloads at its next computation. A
computation therefore costs at most one cache read and, after a change, one query — never a
query per day.

Counting conventions:
- `add_working_days(start, n)`: the n-th working day strictly after `start`; n = 0 gives `start`.
- `working_days_between(start, end)`: working days in the half-open span (start, end], so that
  `working_days_between(s, add_working_days(s, n).date).count == n`. `end` before `start` is
  refused (a count is never negative) rather than silently swapped.
"""

from __future__ import annotations

import threading
import uuid
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.core.cache import cache
from django.utils.translation import gettext as _

from .errors import ValidationFailed

FIRST_YEAR = 2004  # the first year with published State Council data in chinesecalendar
LAST_YEAR = 2099  # beyond any deadline this system computes; keeps date arithmetic in range
MAX_WORKING_DAYS = 1000  # about four years: longer counts are input mistakes, not time limits
CACHE_KEY = "sanpin:workdays:version"


class DayKind(StrEnum):
    WORKDAY = "workday"  # Monday–Friday, no holiday
    WEEKEND = "weekend"  # Saturday/Sunday, no notice entry
    HOLIDAY = "holiday"  # an off day of the year's notice (may fall on a weekend inside a holiday span)
    MAKEUP = "makeup"  # 调休上班: a weekend day worked by the year's notice


@dataclass(frozen=True)
class DeadlineResult:
    date: date
    provisional: bool
    reason: str = ""
    unknown_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class WorkingDaysResult:
    count: int
    provisional: bool
    reason: str = ""
    unknown_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """The whole holiday table, indexed for arithmetic. Immutable: safe to share across threads."""

    years: frozenset[int] = frozenset()
    off_days: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    # Sorted lists for counting by bisection: off days that fall Monday–Friday, and make-up days.
    _off_weekdays: tuple[date, ...] = field(default=(), repr=False)
    _makeup_days: tuple[date, ...] = field(default=(), repr=False)

    @classmethod
    def build(cls, notices: Mapping[int, tuple[Iterable, Iterable]]) -> Snapshot:
        """From {year: (off_days, workdays)}, each an iterable of dates or ISO strings."""
        off, work = set(), set()
        for off_days, workdays in notices.values():
            off.update(_as_date(d) for d in off_days)
            work.update(_as_date(d) for d in workdays)
        return cls(
            years=frozenset(notices),
            off_days=frozenset(off),
            workdays=frozenset(work),
            _off_weekdays=tuple(sorted(d for d in off if d.weekday() < 5 and d not in work)),
            _makeup_days=tuple(sorted(work)),
        )

    def has_notice(self, year: int) -> bool:
        return year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.off_days

    def kind(self, day: date) -> DayKind:
        if day in self.workdays:
            return DayKind.MAKEUP
        if day in self.off_days:
            return DayKind.HOLIDAY
        return DayKind.WORKDAY if day.weekday() < 5 else DayKind.WEEKEND

    def count_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; start <= end."""
        weekdays = _weekdays_upto(end) - _weekdays_upto(start)
        off = bisect_right(self._off_weekdays, end) - bisect_right(self._off_weekdays, start)
        makeup = bisect_right(self._makeup_days, end) - bisect_right(self._makeup_days, start)
        return weekdays - off + makeup

    def unknown_years(self, start: date, end: date) -> tuple[int, ...]:
        """Years without a notice among the days (start, end]."""
        if end <= start:
            return ()
        first = (start + timedelta(days=1)).year
        return tuple(y for y in range(first, end.year + 1) if y not in self.years)


def _weekdays_upto(day: date) -> int:
    """Monday–Friday dates from 0001-01-01 (a Monday) up to and including `day`."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def provisional_reason(years: Iterable[int]) -> str:
    years = sorted(set(years))
    if not years:
        return ""
    listed = "、".join(str(y) for y in years)
    return _("%(years)s 年节假日安排尚未发布，按周末计算，待通知发布后重算") % {"years": listed}


# --- the per-process snapshot ---------------------------------------------------------------------

_lock = threading.Lock()
_cached: tuple[str | None, Snapshot | None] = (None, None)


def load_snapshot() -> Snapshot:
    """Read the table now (one query). Services recomputing inside their own transaction use this
    directly so they see their uncommitted notice without publishing it to the process cache."""
    from .models import HolidayNotice

    rows = HolidayNotice.objects.order_by().values_list("year", "off_days", "workdays")
    return Snapshot.build({year: (off or [], work or []) for year, off, work in rows})


def current_snapshot() -> Snapshot:
    """The snapshot for the current version token, reloaded only when the token moved."""
    global _cached
    token = cache.get(CACHE_KEY)
    if token is None:
        cache.add(CACHE_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(CACHE_KEY)
    cached_token, snapshot = _cached
    if snapshot is not None and token is not None and cached_token == token:
        return snapshot
    snapshot = load_snapshot()
    with _lock:
        _cached = (token, snapshot)
    return snapshot


def invalidate() -> None:
    """Make every process reload at its next computation (called when a notice is saved)."""
    global _cached
    with _lock:
        _cached = (None, None)
    cache.set(CACHE_KEY, uuid.uuid4().hex, timeout=None)


# --- validation --------------------------------------------------------------------------------------


def check_date(value, field_name: str) -> date:
    if not isinstance(value, date):
        raise ValidationFailed(fields={field_name: _("日期格式有误，应为 YYYY-MM-DD")})
    if value.year < FIRST_YEAR:
        raise ValidationFailed(
            fields={field_name: _("日期不能早于 %(year)d 年（此前没有节假日安排数据）") % {"year": FIRST_YEAR}}
        )
    if value.year > LAST_YEAR:
        raise ValidationFailed(fields={field_name: _("日期不能晚于 %(year)d 年") % {"year": LAST_YEAR}})
    return value


def check_year(value, field_name: str = "year") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValidationFailed(
            fields={field_name: _("年份应在 %(first)d 至 %(last)d 之间") % {"first": FIRST_YEAR, "last": LAST_YEAR}}
        )
    return value


def check_count(value, field_name: str = "working_days") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(fields={field_name: _("工作日数应为整数")})
    if value < 0:
        raise ValidationFailed(fields={field_name: _("工作日数不能为负数")})
    if value > MAX_WORKING_DAYS:
        raise ValidationFailed(
            fields={field_name: _("工作日数不能超过 %(max)d 个") % {"max": MAX_WORKING_DAYS}}
        )
    return value


# --- the public functions -------------------------------------------------------------------------


def is_working_day(day: date, *, snapshot: Snapshot | None = None) -> bool:
    check_date(day, "day")
    return (snapshot or current_snapshot()).is_working_day(day)


def day_kind(day: date, *, snapshot: Snapshot | None = None) -> DayKind:
    check_date(day, "day")
    return (snapshot or current_snapshot()).kind(day)


def has_notice(year: int, *, snapshot: Snapshot | None = None) -> bool:
    return (snapshot or current_snapshot()).has_notice(year)


def add_working_days(start: date, n: int, *, snapshot: Snapshot | None = None) -> DeadlineResult:
    """The n-th Chinese working day after `start` (start itself not counted; n = 0 → start)."""
    check_date(start, "start")
    check_count(n)
    snap = snapshot or current_snapshot()
    if n == 0:
        return DeadlineResult(start, False)
    # Jump by whole weeks (five weekdays each), then correct for the notices: the estimate
    # never overshoots by more than the adjustments inside it, so a short walk finishes it.
    day = start
    remaining = n
    while remaining > 0:
        step_weeks = max((remaining - 1) // 5, 0)
        if step_weeks:
            candidate = day + timedelta(weeks=step_weeks)
            counted = snap.count_between(day, candidate)
            if counted <= remaining:
                day, remaining = candidate, remaining - counted
                if remaining == 0:
                    break
                continue
        day += timedelta(days=1)
        if snap.is_working_day(day):
            remaining -= 1
    # `day` is a working day reached exactly; step back if the week jump landed past it.
    while not snap.is_working_day(day):
        day -= timedelta(days=1)
    unknown = snap.unknown_years(start, day)
    return DeadlineResult(day, bool(unknown), provisional_reason(unknown), unknown)


def working_days_between(start: date, end: date, *, snapshot: Snapshot | None = None) -> WorkingDaysResult:
    """Working days in (start, end]. `end` before `start` is refused (field `end`)."""
    check_date(start, "start")
    check_date(end, "end")
    if end < start:
        raise ValidationFailed(fields={"end": _("结束日期不能早于起始日期")})
    snap = snapshot or current_snapshot()
    unknown = snap.unknown_years(start, end)
    return WorkingDaysResult(snap.count_between(start, end), bool(unknown), provisional_reason(unknown), unknown)


def days_of_year(year: int, *, snapshot: Snapshot | None = None) -> list[tuple[date, DayKind]]:
    """Every date of `year` with its kind, for the year view and the days endpoint."""
    check_year(year)
    snap = snapshot or current_snapshot()
    day, out = date(year, 1, 1), []
    while day.year == year:
        out.append((day, snap.kind(day)))
        day += timedelta(days=1)
    return out
