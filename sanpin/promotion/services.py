"""Writes for events and participations: creating and moving an event through its transition
table, signing up with certificates, the organiser's review, results, and flagging certificates
that stop being valid. Each checks role and scope, validates, writes and appends one audit event
in the same transaction (one per flag)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.accounts.choices import Role
from sanpin.certificates.models import Certificate
from sanpin.core import audit, clock
from sanpin.core.access import ALL, REGION, access_by_id, scope_for
from sanpin.core.errors import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed

from . import notices
from .checks import certificate_problem, event_check_day
from .choices import (
    CHECKED_PARTICIPATIONS,
    EventKind,
    EventStatus,
    FlagSource,
    ParticipationStatus,
)
from .models import Event, Participation, ShownCertificate
from .transitions import EVENT_TRANSITIONS, PARTICIPATION_TRANSITIONS, REVIEWABLE_EVENT_STATUSES, find

EVENT_FIELDS = ("kind", "title", "starts_on", "ends_on", "place", "signup_deadline", "description")
MAX_AMOUNT = Decimal("9999999999.99")


def agency_in_scope(actor, agency, model=Event) -> bool:
    """Whether the actor manages what `agency` organises: national staff all, others the
    agencies of their region and below."""
    scope = scope_for(actor, "manage", model)
    if scope.kind == ALL:
        return True
    return scope.kind == REGION and agency.region_id is not None and agency.region_id.startswith(scope.value)


def _locked_event(actor, event) -> Event:
    return access_by_id(Event.objects.select_for_update(of=("self",)), actor, event.pk, "manage")


def _clean_event(values: dict) -> dict:
    errors = {}
    cleaned = {}
    kind = values.get("kind")
    if kind not in EventKind.values:
        errors["kind"] = _("请选择活动类型")
    cleaned["kind"] = kind
    for name, limit, message in (("title", 200, _("请填写活动名称")), ("place", 200, _("请填写活动地点"))):
        text = (values.get(name) or "").strip()
        if not text:
            errors[name] = message
        elif len(text) > limit:
            errors[name] = _("不超过 %(n)d 个字") % {"n": limit}
        cleaned[name] = text
    cleaned["description"] = (values.get("description") or "").strip()
    for name, message in (("starts_on", _("请填写开始日期")), ("ends_on", _("请填写结束日期")),
                          ("signup_deadline", _("请填写报名截止日期"))):
        value = values.get(name)
        if not isinstance(value, datetime.date):
            errors[name] = message
        cleaned[name] = value
    starts, ends, deadline = cleaned["starts_on"], cleaned["ends_on"], cleaned["signup_deadline"]
    if isinstance(starts, datetime.date) and isinstance(ends, datetime.date) and ends < starts:
        errors["ends_on"] = _("结束日期不能早于开始日期")
    if isinstance(deadline, datetime.date) and isinstance(ends, datetime.date) and deadline > ends:
        errors["signup_deadline"] = _("报名截止日期不能晚于活动结束日期")
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


def _event_snapshot(event) -> dict:
    return {name: getattr(event, name) for name in EVENT_FIELDS}


@transaction.atomic
def event_create(*, actor, organiser, **values) -> Event:
    """A new event, in draft, organised by an agency of the actor's region or below.
    Side effects: one audit event."""
    if scope_for(actor, "manage", Event).kind not in (ALL, REGION):
        raise PermissionDenied()
    if organiser is None:
        raise ValidationFailed(fields={"organiser": _("请选择主办机构")})
    if not agency_in_scope(actor, organiser):
        raise ValidationFailed(fields={"organiser": _("只能以本辖区的工作机构作为主办机构")})
    cleaned = _clean_event(values)
    event = Event.objects.create(organiser=organiser, created_by=actor, **cleaned)
    audit.record(actor=actor, verb="promotion.event.create", target=event,
                 new={**_event_snapshot(event), "organiser": organiser.name})
    return event


@transaction.atomic
def event_update(*, actor, event, **values) -> Event:
    """Correct an event's details while it is a draft or takes sign-ups. Side effects: one audit event."""
    event = _locked_event(actor, event)
    if event.status not in (EventStatus.DRAFT, EventStatus.OPEN):
        raise TransitionNotAllowed(_("活动%(status)s，不能再修改") % {"status": event.get_status_display()})
    cleaned = _clean_event({**_event_snapshot(event), **values})
    before = _event_snapshot(event)
    for name, value in cleaned.items():
        setattr(event, name, value)
    event.save(update_fields=[*EVENT_FIELDS, "updated_at"])
    old, new = audit.diff(before, _event_snapshot(event))
    audit.record(actor=actor, verb="promotion.event.update", target=event, old=old, new=new)
    return event


def _transition(table, action: str, status: str, subject: str):
    transition = find(table, action, status)
    if transition is None:
        raise TransitionNotAllowed(_("%(subject)s当前状态不允许此操作") % {"subject": subject})
    return transition


@transaction.atomic
def event_transition(*, actor, event, action: str, reason: str = "") -> Event:
    """Open sign-up (draft → open), close it (open → closed) or cancel (draft, open or closed →
    cancelled, with a reason). Recording results is `event_results_record`.

    Side effects: one audit event; on cancellation the signed-up entities are told."""
    event = _locked_event(actor, event)
    if action == "record_results":
        raise ValidationFailed(fields={"action": _("请通过结果登记表登记举办结果")})
    transition = _transition(EVENT_TRANSITIONS, action, event.status, _("活动"))
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationFailed(fields={"reason": _("请填写原因")})
    errors = transition.guard(event) if transition.guard else {}
    if errors:
        raise ValidationFailed(str(next(iter(errors.values()))), fields=errors)
    source = event.status
    event.status = transition.target
    fields = ["status", "updated_at"]
    if action == "cancel":
        event.cancel_reason = reason
        fields.append("cancel_reason")
    event.save(update_fields=fields)
    audit.record(actor=actor, verb=f"promotion.event.{action}", target=event, old={"status": source},
                 new={"status": event.status}, reason=reason)
    if action == "cancel":
        entity_ids = event.participations.filter(status__in=CHECKED_PARTICIPATIONS).values_list("entity_id", flat=True)
        for entity_id in entity_ids:
            notices.tell(notices.entity_users(entity_id), title=_("活动已取消：%(t)s") % {"t": event.title},
                         body=reason, url=notices.mine_url())
    return event


def _count(value, name, errors, *, required=False):
    if value in (None, ""):
        if required:
            errors[name] = _("请填写")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = _("应为整数")
        return None
    if number < 0:
        errors[name] = _("不能为负数")
    return number


def _amount(value, name, errors):
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors[name] = _("应为数字（万元）")
        return None
    if amount < 0 or amount > MAX_AMOUNT:
        errors[name] = _("金额应在 0 至 %(max)s 万元之间") % {"max": MAX_AMOUNT}
    return amount


@transaction.atomic
def event_results_record(*, actor, event, visitors, deals_count, deals_amount, note: str = "") -> Event:
    """Record that the event was held (closed → held) with its visitors, deals (count, amount in
    万元) and notes. Side effects: one audit event."""
    event = _locked_event(actor, event)
    transition = _transition(EVENT_TRANSITIONS, "record_results", event.status, _("活动"))
    errors = transition.guard(event)
    values = {"visitors": _count(visitors, "visitors", errors, required=True),
              "deals_count": _count(deals_count, "deals_count", errors),
              "deals_amount": _amount(deals_amount, "deals_amount", errors)}
    note = (note or "").strip()
    if errors:
        raise ValidationFailed(fields=errors)
    for name, value in values.items():
        setattr(event, name, value)
    event.results_note, event.results_recorded_at, event.status = note, clock.now(), transition.target
    event.save(update_fields=[*values, "results_note", "results_recorded_at", "status", "updated_at"])
    audit.record(actor=actor, verb="promotion.event.record_results", target=event,
                 old={"status": transition.source}, new={"status": event.status, **values, "note": note})
    return event


# --- participations -----------------------------------------------------------------------------


@transaction.atomic
def participation_sign_up(*, actor, event, certificates, products: str, booth: str = "") -> Participation:
    """An entity's user signs up for an open event before its deadline, with the certificates it
    will show (each held by its entity and valid today) and the products. Anything wrong: a
    message per field and nothing written. Side effects: one audit event; the organiser is told."""
    if Role.APPLICANT not in actor.roles or actor.entity_id is None:
        raise PermissionDenied(_("只有获证主体的申请人账号可以报名参展"))
    event = Event.objects.select_for_update(of=("self",)).select_related("organiser").get(pk=event.pk)
    today = clock.today()
    if event.status != EventStatus.OPEN:
        raise TransitionNotAllowed(_("该活动%(status)s，不接受报名") % {"status": event.get_status_display()})
    if today > event.signup_deadline:
        raise TransitionNotAllowed(_("报名已于 %(day)s 截止") % {"day": event.signup_deadline.isoformat()})
    if Participation.objects.filter(event=event, entity_id=actor.entity_id).exists():
        raise Conflict(_("本单位已报名该活动"), code="duplicate")
    errors = {}
    # Judged as stored now, not as the caller last read them.
    wanted = list(dict.fromkeys(c.pk for c in certificates or []))
    fresh = Certificate.objects.in_bulk(wanted)
    certificates = [fresh[pk] for pk in wanted if pk in fresh]
    if not certificates:
        errors["certificates"] = [_("请选择参展展示的有效证书（至少一个）")]
    problems = []
    for certificate in certificates:
        if certificate.holder_id != actor.entity_id:
            problems.append(_("证书 %(n)s 不是本单位持有的证书") % {"n": certificate.number})
            continue
        problem = certificate_problem(certificate, on=today)
        if problem:
            problems.append(problem + _("，不能用于报名"))
    if problems:
        errors["certificates"] = problems
    products = "\n".join(line.strip() for line in (products or "").splitlines() if line.strip())
    if not products:
        errors["products"] = _("请填写展示产品（每行一个）")
    elif len(products) > 2000:
        errors["products"] = _("展示产品不超过 2000 字")
    booth = (booth or "").strip()
    if len(booth) > 120:
        errors["booth"] = _("不超过 120 个字")
    if errors:
        raise ValidationFailed(_("报名信息有误"), fields=errors)
    participation = Participation.objects.create(event=event, entity_id=actor.entity_id, products=products,
                                                 booth=booth, signed_up_by=actor, signed_up_on=today)
    ShownCertificate.objects.bulk_create([ShownCertificate(participation=participation, certificate=c)
                                          for c in certificates])
    audit.record(actor=actor, verb="promotion.participation.sign_up", target=participation,
                 new={"event": event.pk, "entity": actor.entity_id, "certificates": [c.number for c in certificates],
                      "products": products})
    notices.tell(notices.organiser_staff(event), title=_("新的参展报名：%(t)s") % {"t": event.title},
                 body=_("%(e)s 报名参展，待审核。") % {"e": actor.entity.name}, url=notices.manage_url(event))
    return participation


def _locked_participation(actor, participation) -> Participation:
    queryset = Participation.objects.select_for_update(of=("self",)).select_related("event", "entity")
    return access_by_id(queryset, actor, participation.pk, "review")


@transaction.atomic
def participation_decide(*, actor, participation, action: str, note: str = "") -> Participation:
    """The organiser approves (pending → approved) or rejects with a reason (pending → rejected)
    while the event takes sign-ups or has just closed them. Side effects: one audit event; the
    entity is told."""
    participation = _locked_participation(actor, participation)
    event = participation.event
    if event.status not in REVIEWABLE_EVENT_STATUSES:
        raise TransitionNotAllowed(_("活动%(status)s，不能再审核报名") % {"status": event.get_status_display()})
    transition = _transition(PARTICIPATION_TRANSITIONS, action, participation.status, _("该报名"))
    note = (note or "").strip()
    if transition.needs_reason and not note:
        raise ValidationFailed(fields={"note": _("请填写不通过的原因")})
    source = participation.status
    participation.status, participation.decided_by, participation.decided_at = transition.target, actor, clock.now()
    participation.decision_note = note
    participation.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit.record(actor=actor, verb=f"promotion.participation.{action}", target=participation,
                 old={"status": source}, new={"status": participation.status}, reason=note)
    notices.tell(notices.entity_users(participation.entity_id),
                 title=_("参展报名%(result)s：%(t)s") % {"result": participation.get_status_display(),
                                                     "t": event.title},
                 body=note, url=notices.mine_url())
    return participation


@transaction.atomic
def participation_results_record(*, actor, participation, deals_count, deals_amount, note: str = "") -> Participation:
    """Optional results of one approved participant of a held event. Side effects: one audit event."""
    participation = _locked_participation(actor, participation)
    if participation.event.status != EventStatus.HELD:
        raise TransitionNotAllowed(_("活动登记举办结果后才能登记参展成效"))
    if participation.status != ParticipationStatus.APPROVED:
        raise TransitionNotAllowed(_("只能为审核通过的参展主体登记成效"))
    errors = {}
    values = {"deals_count": _count(deals_count, "deals_count", errors),
              "deals_amount": _amount(deals_amount, "deals_amount", errors)}
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = _("不超过 300 个字")
    if errors:
        raise ValidationFailed(fields=errors)
    old = {name: getattr(participation, name) for name in values} | {"note": participation.results_note}
    for name, value in values.items():
        setattr(participation, name, value)
    participation.results_note = note
    participation.save(update_fields=[*values, "results_note", "updated_at"])
    audit.record(actor=actor, verb="promotion.participation.results", target=participation, old=old,
                 new={**values, "note": note})
    return participation


# --- flags ----------------------------------------------------------------------------------------


@transaction.atomic
def shown_recheck(*, actor, rows, source: str, today: datetime.date | None = None) -> list[ShownCertificate]:
    """Flag every certificate among `rows` (ShownCertificate rows) that may no longer be shown at
    its event: checked from the first day it would be shown (today, or the start) to the last day
    of the event (sanpin.promotion.checks.certificate_problem). A row already flagged is left
    alone, so running twice flags once. Used by the day-before task and when a certificate is
    suspended or revoked.

    Side effects per flag: one audit event; the organiser's staff and the entity are told."""
    if source not in FlagSource.values:
        raise ValueError(f"unknown flag source {source!r}")
    today = today or clock.today()
    flagged = []
    for row in rows.select_related("participation__event", "participation__entity", "certificate") \
            .select_for_update(of=("self",)).filter(flagged_on__isnull=True):
        event = row.participation.event
        problem = certificate_problem(row.certificate, on=event_check_day(event, today), through=event.ends_on)
        if problem is None:
            continue
        row.flagged_on, row.flag_reason, row.flag_source = today, problem[:300], source
        row.save(update_fields=["flagged_on", "flag_reason", "flag_source"])
        audit.record(actor=actor, verb="promotion.participation.flag", target=row.participation,
                     new={"certificate": row.certificate.number, "flagged_on": today, "source": source},
                     reason=problem)
        flagged.append(row)
        title = _("参展证书已不能展示：%(t)s") % {"t": event.title}
        body = _("%(e)s：%(p)s。该证书的标志不得在本次活动中展示。") % {
            "e": row.participation.entity.name, "p": problem}
        notices.tell(notices.organiser_staff(event), title=title, body=body, url=notices.manage_url(event))
        notices.tell(notices.entity_users(row.participation.entity_id), title=title, body=body,
                     url=notices.mine_url())
    return flagged
