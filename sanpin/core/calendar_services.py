"""Writes to the working-day calendar: holiday notices and the deadlines counted from them.

A saved notice changes the answer of every working-day computation touching its year, so the
save invalidates the process caches (sanpin.core.workdays) and, in the same transaction,
recomputes the stored deadlines that depended on the missing or corrected year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.accounts.choices import Role

from . import audit
from . import workdays as wd
from .access import require_role
from .errors import Conflict, ValidationFailed
from .models import Deadline, HolidayNotice

NOTICE_EDITOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_REVIEWER})

# Sent inside the recomputing transaction with `deadlines` (the rows whose due date or provisional
# flag changed), so an owning app can update any copy of `due_on` it keeps on its own rows.
deadlines_recomputed = Signal()

_WEEKDAY_NAMES = "一二三四五六日"


@dataclass(frozen=True)
class NoticeSaved:
    notice: HolidayNotice
    created: bool
    changed: bool
    recomputed: int  # deadlines examined again because of this save


@dataclass(frozen=True)
class RecomputeReport:
    examined: int
    changed: int
    still_provisional: int


def can_edit_notices(user) -> bool:
    return bool(getattr(user, "is_system", False) or (user.is_authenticated and user.roles & NOTICE_EDITOR_ROLES))


def _require_editor(actor) -> None:
    # The system account (command-line loads) has no roles and cannot sign in.
    if getattr(actor, "is_system", False):
        return
    require_role(actor, NOTICE_EDITOR_ROLES)


def _parse_dates(values, field_name: str, errors: dict) -> list[date]:
    parsed, bad = [], []
    for value in values or []:
        if isinstance(value, date):
            parsed.append(value)
            continue
        try:
            parsed.append(date.fromisoformat(str(value).strip()))
        except ValueError:
            bad.append(str(value))
    if bad:
        errors.setdefault(field_name, []).append(
            _("以下日期格式有误（应为 YYYY-MM-DD）：%(dates)s") % {"dates": "、".join(bad)}
        )
    return parsed


def _listed(days) -> str:
    return "、".join(d.isoformat() for d in sorted(days))


def _check_dates_of_year(days: list[date], year: int, field_name: str, errors: dict) -> None:
    outside = [d for d in days if d.year != year]
    if outside:
        errors.setdefault(field_name, []).append(
            _("以下日期不在 %(year)d 年内：%(dates)s") % {"year": year, "dates": _listed(outside)}
        )
    seen, dupes = set(), set()
    for d in days:
        (dupes if d in seen else seen).add(d)
    if dupes:
        errors.setdefault(field_name, []).append(_("以下日期重复：%(dates)s") % {"dates": _listed(dupes)})


def _validate_notice(*, year, title, document_no, source_url, published_on, off_days, workdays_):
    errors: dict[str, list[str]] = {}
    try:
        wd.check_year(year)
    except ValidationFailed as exc:
        errors.update(exc.fields)
        year = None
    if not (title or "").strip():
        errors["title"] = [_("请填写通知标题")]
    elif len(title.strip()) > 200:
        errors["title"] = [_("通知标题不能超过 200 个字")]
    if len(document_no or "") > 80:
        errors["document_no"] = [_("文号不能超过 80 个字")]
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
            if len(source_url) > 200:
                raise DjangoValidationError("too long")
        except DjangoValidationError:
            errors["source_url"] = [_("来源网址无效，应为 http:// 或 https:// 开头的完整网址")]
    if published_on is not None and not isinstance(published_on, date):
        errors["published_on"] = [_("日期格式有误，应为 YYYY-MM-DD")]
    elif published_on and year and published_on > date(year, 12, 31):
        errors["published_on"] = [_("发布日期不能晚于 %(year)d 年底") % {"year": year}]

    off = _parse_dates(off_days, "off_days", errors)
    work = _parse_dates(workdays_, "workdays", errors)
    if year:
        _check_dates_of_year(off, year, "off_days", errors)
        _check_dates_of_year(work, year, "workdays", errors)
    not_weekend = [d for d in set(work) if d.weekday() < 5]
    if not_weekend:
        errors.setdefault("workdays", []).append(
            _("调休上班日应为周六或周日，以下日期不是：%(dates)s")
            % {"dates": "、".join(f"{d.isoformat()}（周{_WEEKDAY_NAMES[d.weekday()]}）" for d in sorted(not_weekend))}
        )
    both = set(off) & set(work)
    if both:
        message = _("以下日期同时出现在放假日期和调休上班日期中：%(dates)s") % {"dates": _listed(both)}
        errors.setdefault("off_days", []).append(message)
        errors.setdefault("workdays", []).append(message)
    if errors:
        raise ValidationFailed(fields=errors)
    return sorted(set(off)), sorted(set(work))


def _notice_state(notice: HolidayNotice) -> dict:
    return {
        "title": notice.title,
        "document_no": notice.document_no,
        "source_url": notice.source_url,
        "published_on": notice.published_on.isoformat() if notice.published_on else None,
        "off_days": list(notice.off_days),
        "workdays": list(notice.workdays),
        "origin": notice.origin,
    }


@transaction.atomic
def holiday_notice_save(
    *,
    actor,
    year: int,
    title: str,
    document_no: str = "",
    source_url: str = "",
    published_on: date | None = None,
    off_days=(),
    workdays=(),
    origin: str = HolidayNotice.Origin.MANUAL,
) -> NoticeSaved:
    """Create or replace the notice of `year`.

    Side effects: one audit event (create/replace; none when nothing changed); the working-day
    caches of every process are invalidated; provisional deadlines whose span touches the year
    are recomputed, and — when an existing notice's dates are corrected — so are the running
    (not yet due) firm deadlines touching the year; one audit event summarises the recompute.
    A notice entered by hand is never replaced by package data (Conflict).
    """
    _require_editor(actor)
    off, work = _validate_notice(
        year=year, title=title, document_no=document_no, source_url=source_url,
        published_on=published_on, off_days=off_days, workdays_=workdays,
    )
    existing = HolidayNotice.objects.select_for_update().filter(year=year).first()
    if existing and origin == HolidayNotice.Origin.PACKAGE and existing.origin == HolidayNotice.Origin.MANUAL:
        raise Conflict(_("%(year)d 年的节假日安排为人工录入，不会被数据包覆盖") % {"year": year},
                       code="manual_notice_kept")

    notice = existing or HolidayNotice(year=year)
    before = _notice_state(notice) if existing else {}
    old_dates = (list(existing.off_days), list(existing.workdays)) if existing else None
    notice.title = title.strip()
    notice.document_no = (document_no or "").strip()
    notice.source_url = source_url or ""
    notice.published_on = published_on
    notice.off_days = [d.isoformat() for d in off]
    notice.workdays = [d.isoformat() for d in work]
    notice.origin = origin
    after = _notice_state(notice)
    if existing and before == after:
        return NoticeSaved(existing, created=False, changed=False, recomputed=0)

    notice.entered_by = actor
    notice.save()
    old, new = audit.diff(before, after)
    audit.record(
        actor=actor,
        verb="holiday_notice.replace" if existing else "holiday_notice.create",
        target=notice,
        old=old or None,
        new=new,
    )
    wd.invalidate()
    transaction.on_commit(wd.invalidate)  # processes that reloaded mid-transaction reload again

    dates_corrected = old_dates is not None and old_dates != (notice.off_days, notice.workdays)
    # Deadlines count the days (start, due_on]: the span touches `year` when it starts before
    # its last day and ends on or after its first.
    touches = Q(start__lt=date(year, 12, 31), due_on__gte=date(year, 1, 1))
    which = Q(provisional=True)
    if dates_corrected:
        which |= Q(provisional=False, due_on__gte=timezone.localdate())
    affected = Deadline.objects.filter(touches & which)
    report = _recompute(affected, wd.load_snapshot())
    if report.examined:
        audit.record(
            actor=actor,
            verb="deadline.recompute",
            target=notice,
            new={"year": year, "examined": report.examined, "changed": report.changed,
                 "still_provisional": report.still_provisional},
            reason=_("录入 %(year)d 年节假日安排后重算时限") % {"year": year},
        )
    return NoticeSaved(notice, created=existing is None, changed=True, recomputed=report.examined)


def _recompute(queryset, snapshot: wd.Snapshot) -> RecomputeReport:
    now = timezone.now()
    rows = list(queryset.select_for_update().order_by("pk"))
    changed = []
    for row in rows:
        result = wd.add_working_days(row.start, row.working_days, snapshot=snapshot)
        if (row.due_on, row.provisional, row.provisional_reason) != (
            result.date, result.provisional, result.reason
        ):
            changed.append(row)
        row.due_on, row.provisional, row.provisional_reason = result.date, result.provisional, result.reason
        row.recomputed_at = now
    Deadline.objects.bulk_update(
        rows, ["due_on", "provisional", "provisional_reason", "recomputed_at"], batch_size=500
    )
    if changed:
        deadlines_recomputed.send(sender=Deadline, deadlines=changed)
    return RecomputeReport(len(rows), len(changed), sum(1 for r in rows if r.provisional))


@transaction.atomic
def deadlines_recompute_provisional(*, actor) -> RecomputeReport:
    """Recompute every provisional deadline against the current table (a repair or scheduled job).

    Side effects: rows updated with `recomputed_at`; `deadlines_recomputed` sent for changed rows;
    one audit event with the counts when any row was examined.
    """
    _require_editor(actor)
    report = _recompute(Deadline.objects.filter(provisional=True), wd.load_snapshot())
    if report.examined:
        audit.record(
            actor=actor,
            verb="deadline.recompute",
            new={"examined": report.examined, "changed": report.changed,
                 "still_provisional": report.still_provisional},
            reason=_("重算全部暂定时限"),
        )
    return report


@transaction.atomic
def deadline_create(*, start: date, working_days: int, purpose: str, owner=None) -> Deadline:
    """Store a time limit of `working_days` Chinese working days after `start`.

    Called by the owning app's service, which records the audit event for the change the
    deadline belongs to (so this writes none). A provisional result is kept with its reason and
    recomputed when the missing year's notice is entered.
    """
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationFailed(fields={"purpose": _("请填写时限用途")})
    if len(purpose) > 80:
        raise ValidationFailed(fields={"purpose": _("时限用途不能超过 80 个字")})
    result = wd.add_working_days(start, working_days)
    deadline = Deadline(
        purpose=purpose,
        start=start,
        working_days=working_days,
        due_on=result.date,
        provisional=result.provisional,
        provisional_reason=result.reason,
    )
    if owner is not None:
        deadline.owner_type = ContentType.objects.get_for_model(owner)
        deadline.owner_id = str(owner.pk)
    deadline.save()
    return deadline
