"""Monthly frozen snapshots of the indicators, so that a report published from them can be produced
again unchanged however the data change afterwards (SPEC §8).

A snapshot of month M of year Y holds the indicators of the period January–M of Y (the year to
date, all schemes) at every level of the drill-down: the whole country (a row per province), each
province (a row per city) and each city (a row per county). It is written once, by the beat task
on the 1st of the next month, by `manage.py freeze_snapshot --month YYYY-MM` or by national staff
on the snapshots page, and never changed (Snapshot is append-only, one per month).

The figures the stats module computes itself are bounded by the month's last day; the rates taken
from other modules (first-pass, inspection coverage, sampling, 合格证) are their figures for the
calendar year as they stand when the snapshot is taken, which is why the schedule freezes a month
the day after it ends."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.accounts.choices import NATIONAL_ROLES
from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core import audit, clock
from sanpin.core.access import require_role
from sanpin.core.errors import Conflict, NotFound, ValidationFailed

from .indicators import ALL, Indicators, Period, compute
from .models import Snapshot

FORMAT = 1  # the layout of Snapshot.figures; readers check it


def parse_month(raw: str) -> datetime.date:
    """"YYYY-MM" → the first day of that month."""
    try:
        day = datetime.datetime.strptime((raw or "").strip(), "%Y-%m").date()
    except ValueError:
        raise ValidationFailed(fields={"month": _("月份格式应为 YYYY-MM")}) from None
    if not 2000 <= day.year <= 2100:
        raise ValidationFailed(fields={"month": _("月份格式应为 YYYY-MM")})
    return day


def previous_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def levels() -> list[Region | None]:
    """The regions whose children a snapshot holds: the country, every province, every city."""
    regions = Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.CITY], is_active=True)
    return [None, *regions.order_by("code")]


@transaction.atomic
def freeze(month: datetime.date, actor=None) -> Snapshot:
    """Freeze the indicators of `month` (any day in it). Scheduled and command-line runs pass no
    actor and are recorded as the SYSTEM user; a person must hold a national role. Refused while
    the month has not ended, and for a month already frozen (409).

    Side effects: one Snapshot row; one audit event "stats.snapshot_freeze"."""
    from sanpin.accounts.models import system_user

    if actor is None:
        actor = system_user()
    else:
        require_role(actor, NATIONAL_ROLES)
    month = month.replace(day=1)
    today = clock.today()
    if month >= today.replace(day=1):
        raise ValidationFailed(fields={"month": _("%(m)s 尚未结束，不能冻结") % {"m": month.strftime("%Y-%m")}})
    if Snapshot.objects.filter(month=month).exists():
        raise Conflict(_("%(m)s 的统计数据已冻结，快照不能重做或修改") % {"m": month.strftime("%Y-%m")})
    period = Period(month.year, 1, month.month)
    figures = {
        "format": FORMAT, "month": month.strftime("%Y-%m"), "scheme": ALL,
        "levels": {(region.code if region else ""): compute(region=region, scheme=ALL, period=period,
                                                            today=today).as_dict()
                   for region in levels()},
    }
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(month=month, frozen_at=clock.now(), figures=figures, frozen_by=actor)
    except IntegrityError:  # frozen at the same moment by another run
        raise Conflict(_("%(m)s 的统计数据已冻结，快照不能重做或修改") % {"m": month.strftime("%Y-%m")}) from None
    audit.record(actor=actor, verb="stats.snapshot_freeze", target=snapshot,
                 new={"month": figures["month"], "levels": len(figures["levels"])})
    return snapshot


def snapshot_for(raw_month: str) -> Snapshot:
    snapshot = Snapshot.objects.filter(month=parse_month(raw_month)).first()
    if snapshot is None:
        raise NotFound(_("%(m)s 没有冻结的统计数据") % {"m": raw_month})
    return snapshot


def indicators_from(snapshot: Snapshot, region: Region | None) -> Indicators:
    """The indicators of `region` as frozen. A region the snapshot holds no level for (a county)
    is read as its row of its parent's level."""
    month = snapshot.month.strftime("%Y-%m")
    stored = snapshot.figures.get("levels", {})
    code = region.code if region else ""
    if code in stored:
        return Indicators.from_dict(stored[code], frozen_month=month)
    parent = region.parent if region is not None else None
    level = stored.get(parent.code if parent else "")
    if level is None:
        raise NotFound(_("%(m)s 的快照中没有该地区的数据") % {"m": month})
    whole = Indicators.from_dict(level, frozen_month=month)
    row = next((r for r in whole.rows if r.code == code), None)
    if row is None:
        raise NotFound(_("%(m)s 的快照中没有该地区的数据") % {"m": month})
    timeliness = [t for t in whole.timeliness
                  if (t.get("region") or {}).get("code", "").startswith(region.scope_prefix)]
    return Indicators(region_code=code, region_name=region.name, scheme=whole.scheme, period=whole.period,
                      rows=[row], total=row, timeliness=timeliness, trend=[], computed_at=whole.computed_at,
                      frozen_month=month)


def listing() -> list[Snapshot]:
    """The snapshots, newest first, without loading their figures."""
    return list(Snapshot.objects.defer("figures").select_related("frozen_by").order_by("-month"))


def frozen_at_text(snapshot: Snapshot) -> str:
    return timezone.localtime(snapshot.frozen_at).strftime("%Y-%m-%d %H:%M")
