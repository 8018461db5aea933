"""Writes for credit: publishing a rulebook version and recording a manual event. Each checks role
and scope, validates, writes and appends one audit event in the same transaction. Events fed by
other modules are written by feeds.py inside the transaction of the change they record."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sanpin.accounts.choices import NATIONAL_ROLES
from sanpin.catalog.models import Entity
from sanpin.core import audit, clock
from sanpin.core.access import ALL, REGION, require_role, scope_for
from sanpin.core.errors import PermissionDenied, ValidationFailed

from . import rulebook as rulebooks
from .choices import MANUAL_KINDS, CreditKind
from .models import CreditEvent, Rulebook


@transaction.atomic
def rulebook_publish(*, actor, effective_from: datetime.date | None, weights: dict, thresholds: dict,
                     half_life_days: int, base_score, sampling_weights: dict, note: str = "",
                     effects: dict | None = None) -> Rulebook:
    """Publish the next version (national staff only). It applies from `effective_from` (today or
    later: a past grade is never rewritten); earlier days keep the version then in force.
    `effects` ("申报+信用"): None carries over those of the version in force on `effective_from`.
    Side effects: one audit event."""
    require_role(actor, NATIONAL_ROLES)
    errors = rulebooks.validate(weights=weights, thresholds=thresholds, half_life_days=half_life_days,
                                base_score=base_score, sampling_weights=sampling_weights, effects=effects)
    if effects is None and isinstance(effective_from, datetime.date):
        effects = rulebooks.in_force(effective_from).effects
    if not isinstance(effective_from, datetime.date):
        errors["effective_from"] = _("请填写生效日期")
    elif effective_from < clock.today():
        errors["effective_from"] = _("生效日期不能早于今天")
    if not (note or "").strip():
        errors["note"] = _("请说明本次修订的内容与依据")
    if errors:
        raise ValidationFailed(fields=errors)
    # Lock the newest row (if any) so two publications cannot take the same number.
    list(Rulebook.objects.select_for_update().order_by("-version")[:1])
    version = (Rulebook.objects.aggregate(n=Max("version"))["n"] or 0) + 1
    rulebook = Rulebook.objects.create(
        version=version, effective_from=effective_from, published_at=clock.now(), weights=dict(weights),
        thresholds=dict(thresholds), half_life_days=half_life_days, base_score=Decimal(str(base_score)),
        sampling_weights=dict(sampling_weights), effects=dict(effects or {}), created_by=actor, note=note.strip())
    audit.record(actor=actor, verb="credit.rulebook.publish", target=rulebook,
                 new={"version": version, "effective_from": effective_from.isoformat(), "weights": weights,
                      "thresholds": thresholds, "half_life_days": half_life_days, "base_score": str(base_score),
                      "sampling_weights": sampling_weights, "effects": effects}, reason=note.strip())
    return rulebook


def _require_scope(actor, entity: Entity) -> None:
    """Provincial staff of the entity's province or national staff; otherwise 403."""
    scope = scope_for(actor, "record", CreditEvent)
    if scope.kind == ALL:
        return
    if scope.kind == REGION and entity.region_id and entity.region_id.startswith(scope.value):
        return
    raise PermissionDenied(_("只有主体所在省级或国家级工作人员可以录入信用事件"))


@transaction.atomic
def credit_event_record(*, actor, entity: Entity, kind: str, occurred_on: datetime.date | None, summary: str,
                        evidence: str) -> CreditEvent:
    """Record a fact the other modules do not feed (a complaint upheld, an award, another positive or
    negative fact) with its summary (the reason) and evidence. Side effects: one audit event."""
    _require_scope(actor, entity)
    errors = {}
    if kind not in MANUAL_KINDS:
        errors["kind"] = _("可录入的类型：%s") % "、".join(str(CreditKind(k).label) for k in sorted(MANUAL_KINDS))
    if not isinstance(occurred_on, datetime.date):
        errors["occurred_on"] = _("请填写发生日期")
    elif occurred_on > clock.today():
        errors["occurred_on"] = _("发生日期不能晚于今天")
    summary, evidence = (summary or "").strip(), (evidence or "").strip()
    if not summary:
        errors["summary"] = _("请填写事由")
    elif len(summary) > 300:
        errors["summary"] = _("事由不超过 300 字")
    if not evidence:
        errors["evidence"] = _("请填写依据（文件、文号或材料）")
    if errors:
        raise ValidationFailed(fields=errors)
    event = CreditEvent.objects.create(entity=entity, kind=kind, occurred_on=occurred_on, summary=summary,
                                       evidence=evidence, recorded_by=actor)
    audit.record(actor=actor, verb="credit.event.record", target=event,
                 new={"entity": entity.uscc, "kind": kind, "occurred_on": occurred_on.isoformat()}, reason=summary)
    return event
