"""The review workflow engine: one set of rules for every scheme, driven by its SchemeConfig.

An application moves only through `application_submit` and `application_act`. Each takes the
row lock on the application, checks the action against the scheme's table for the current state
(anything else → TransitionNotAllowed, API 409), the actor's role (403) and assignment, validates
the inputs, runs the action's effect, moves the steps and their working-day deadlines, and writes
the transition log and the audit event in the same transaction. Notifications go out after
commit.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.accounts.choices import AgencyLevel, Role
from sanpin.core import audit, clock, numbering
from sanpin.core.calendar_services import deadline_create
from sanpin.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.workdays import working_days_between

from . import effects, fees, policies
from .choices import (
    DRAFT,
    RECTIFICATION,
    SPECIAL_TEST,
    SUPPLEMENT,
    SUSPENDED,
    TERMINAL,
    WITHDRAWN,
    ApplicationKind,
)
from .models import Application, Event, Step
from .notifications import notify_step_opened
from .schemes import scheme_config
from .schemes.base import RESUME, RETURN, STAY, Action, StepSpec
from .schemes.shared import CREDIT_INSPECTION

# Shared states that pause the step that sent the application there (its clock stops).
PAUSING = frozenset({SUPPLEMENT, SPECIAL_TEST})
# Shared states that close the step that sent the application there; it restarts on return.
DETOURS = frozenset({RECTIFICATION, SUSPENDED})


@dataclass
class ActionInput:
    """What an actor sends with an action; which fields are required depends on the action."""

    opinion: str = ""
    reason: str = ""
    days: int | None = None
    inspector: object = None  # a User
    lab: object = None  # an Entity of kind lab
    lab_tests: tuple = ()
    experts: dict | None = None  # {"specialty": str, "size": int}
    favourable: bool | None = None


# --- reading the state ----------------------------------------------------------------------------


def current_step(application: Application) -> Step | None:
    """The open, running step: the one the application's state names and that is not paused."""
    return (
        application.steps.filter(finished_at__isnull=True, paused_at__isnull=True, code=application.state)
        .select_related("deadline")
        .order_by("-started_at", "-pk")
        .first()
    )


def step_spec(application: Application) -> StepSpec | None:
    return scheme_config(application.scheme).steps.get(application.state)


def is_assigned(step: Step, user) -> bool:
    if step is None:
        return False
    assignments = step.assignments.all()
    return any(a.user_id == user.pk or (a.lab_id and a.lab_id == user.entity_id) for a in assignments)


def available_actions(user, application: Application) -> list[Action]:
    """The actions `user` may take now (role and assignment; scope is the caller's check)."""
    if application.state == DRAFT:
        owns = user.entity_id == application.entity_id and Role.APPLICANT in user.roles
        return [SUBMIT, DRAFT_WITHDRAW] if owns else []
    spec = step_spec(application)
    if spec is None:
        return []
    step = current_step(application)
    allowed = []
    for action in spec.actions:
        if not (user.roles & action.roles):
            continue
        if action.roles & {Role.APPLICANT} and user.entity_id != application.entity_id:
            continue
        if action.assigned_only and not is_assigned(step, user):
            continue
        if not level_allows(action, user):
            continue
        allowed.append(action)
    return allowed


def level_allows(action: Action, user) -> bool:
    """A step taken by one level of agency (a county bureau, then the city) refuses staff of the
    other levels even when they hold the same role."""
    if not action.levels:
        return True
    agency = getattr(user, "agency", None)
    return agency is not None and agency.level in action.levels


SUBMIT = Action("submit", _("提交申请"), "@first", frozenset({Role.APPLICANT}))
# A draft the applicant gives up (e.g. started too late for a renewal) is closed, never deleted.
DRAFT_WITHDRAW = Action("withdraw", _("放弃草稿"), WITHDRAWN, frozenset({Role.APPLICANT}), requires=("reason",))


# --- submitting -----------------------------------------------------------------------------------


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Draft → the scheme's first step for the application's kind. Side effects: the application
    gets its number; the applicant's credit standing of the day is kept in data["credit"] and, when
    its grade calls for it, the credit site inspection comes first (its reason in the log and the
    audit event); the first step starts with its deadline; the responsible agency is told."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.state != DRAFT:
        raise TransitionNotAllowed(_("该申请已提交，不能重复提交"))
    if not (Role.APPLICANT in actor.roles and actor.entity_id == application.entity_id):
        raise PermissionDenied(_("只有申请人本单位的账号可以提交申请"))
    config = scheme_config(application.scheme)
    _late_renewal_as_initial(application, config, actor)
    effects.check_ready_to_submit(application, config)
    now = clock.now()
    year = now.year
    serial = numbering.next_value(f"application:{application.scheme}:{year}")
    application.number = f"{config.application_prefix}{year}{serial:06d}"
    application.submitted_at = now
    if config.fee_items and application.kind in (ApplicationKind.INITIAL, ApplicationKind.RENEWAL):
        day = clock.today()
        lines = fees.compute(scheme=application.scheme, items=config.fee_items, county=application.entity.region,
                             quantity=max(application.products.count(), 1), on=day)
        fees.freeze(application, lines, day)
    first = config.first_step[application.kind]
    credit, why = credit_outlook(application, config, clock.today())
    if credit is not None:
        application.data = {**application.data, "credit": credit}
        if credit["site_inspection"]:
            first = CREDIT_INSPECTION
    _enter(application, config.step(first), actor=actor, action="submit", from_state=DRAFT, opinion=why,
           details={"credit": credit} if credit else None)
    application.save(update_fields=["number", "submitted_at", "state", "data", "updated_at"])
    audit.record(actor=actor, verb="application.submit", target=application,
                 new={"number": application.number, "state": application.state,
                      **({"credit": credit} if credit else {})}, reason=why)
    return application


def credit_applies(config, kind: str) -> bool:
    """Credit changes the review of initial and renewal applications of the schemes that have the
    credit site inspection step (not a base's listing)."""
    return CREDIT_INSPECTION in config.steps and kind in (ApplicationKind.INITIAL, ApplicationKind.RENEWAL)


def credit_outlook(application: Application, config, day: date) -> tuple[dict | None, str]:
    """The applicant's standing on `day` as kept on the application at submission (None: credit
    does not apply or no provider is registered), and the reason shown in the log when it changes
    the review ("" when it does not). Reads only: the draft page shows it before submission."""
    if not credit_applies(config, application.kind):
        return None, ""
    standing = policies.applicant_standing(application.entity, day)
    if standing is None:
        return None, ""
    renewal = application.kind == ApplicationKind.RENEWAL
    waived = bool(renewal and standing.renewal_inspection_waivable and config.extra.get("renewal_inspection_waivable")
                  and not standing.site_inspection_required)
    credit = {"grade": standing.grade, "score": standing.score, "rulebook_version": standing.rulebook_version,
              "day": day.isoformat(), "site_inspection": standing.site_inspection_required,
              "renewal_inspection_waived": waived}
    if standing.site_inspection_required:
        why = _("信用等级 %(grade)s（信用分 %(score)s，信用评价规则第 %(version)s 版）：须先进行信用核查现场检查")
    elif waived:
        why = _("信用等级 %(grade)s（信用分 %(score)s，信用评价规则第 %(version)s 版）：本次续展可免现场检查")
    else:
        return credit, ""
    return credit, why % {"grade": standing.grade, "score": standing.score, "version": standing.rulebook_version}


def _late_renewal_as_initial(application: Application, config, actor) -> None:
    """Where the scheme says so (organic [002 §4(2)]), a renewal submitted after its certificate
    has expired is processed as a new application: no continuity with the old certificate."""
    if not (config.extra.get("late_renewal_becomes_initial") and application.kind == ApplicationKind.RENEWAL):
        return
    old = application.certificate
    if old is None or clock.today() <= old.valid_until:
        return
    application.kind = ApplicationKind.INITIAL
    application.certificate = None
    application.data = {**application.data, "late_renewal_of": old.number}
    application.save(update_fields=["kind", "certificate", "data", "updated_at"])
    audit.record(actor=actor, verb="application.renewal_as_initial", target=application,
                 old={"kind": ApplicationKind.RENEWAL, "certificate": old.number},
                 new={"kind": ApplicationKind.INITIAL},
                 reason=_("证书已于 %(date)s 到期，再认证申请按新申请办理") % {"date": old.valid_until.isoformat()})


# --- acting -----------------------------------------------------------------------------------------


@transaction.atomic
def application_act(*, actor, application: Application, action: str, data: ActionInput | None = None,
                    expected_state: str | None = None) -> Application:
    """Take `action` on the application in its current state. See the module docstring.

    `expected_state` is the state the actor saw: if someone else moved the application since,
    the action is refused rather than applied to a step the actor never looked at (a second
    "pass" must not pass the next step too)."""
    data = data or ActionInput()
    application = Application.objects.select_for_update().get(pk=application.pk)
    if expected_state and expected_state != application.state:
        raise TransitionNotAllowed(_("该申请已由他人办理，当前为“%(state)s”，请刷新后再操作")
                                   % {"state": application.state_label()})
    if not application.is_open:
        raise TransitionNotAllowed(_("该申请已办结，不能再办理"))
    config = scheme_config(application.scheme)
    spec = config.steps.get(application.state)
    chosen = spec.action(action) if spec else None
    if application.state == DRAFT and action == DRAFT_WITHDRAW.code:
        chosen = DRAFT_WITHDRAW
    if chosen is None:
        raise TransitionNotAllowed(
            _("当前状态（%(state)s）不允许“%(action)s”") % {"state": application.state_label(), "action": action}
        )
    if not (actor.roles & chosen.roles):
        raise PermissionDenied()
    if Role.APPLICANT in (actor.roles & chosen.roles) and actor.entity_id != application.entity_id:
        raise PermissionDenied()
    step = current_step(application)
    if chosen.assigned_only and not is_assigned(step, actor):
        raise PermissionDenied(_("只有被指派的人员可以办理此环节"))
    if not level_allows(chosen, actor):
        raise PermissionDenied(_("此环节由%(levels)s工作机构办理") % {
            "levels": "、".join(str(AgencyLevel(lv).label) for lv in sorted(chosen.levels))})
    _validate_inputs(chosen, data)

    from_state = application.state
    details = effects.run(chosen.effect, application=application, step=step, actor=actor, data=data) or {}
    # An effect may hold the application where it is (a panel still deliberating) or route it to
    # another step of the scheme (a stricter review when the application calls for one).
    routed = details.pop("_target", None)
    if routed is not None and routed != STAY and routed not in chosen.routes:
        raise AssertionError(f"effect {chosen.effect} routed to {routed}, not one of the action's routes")
    target = routed or chosen.target

    if target == STAY:
        _log(application, step, actor, chosen.code, from_state, from_state, data, details)
    else:
        _leave(application, step, chosen, target, actor=actor, data=data, details=details)
        effects.after(chosen.effect, application=application, new_step=current_step(application), actor=actor,
                      data=data)
    application.save(update_fields=["state", "closed_at", "updated_at"])
    audit.record(
        actor=actor, verb=f"application.{chosen.code}", target=application,
        old={"state": from_state}, new={"state": application.state, **_jsonable(details)},
        reason=data.reason or data.opinion,
    )
    return application


def _validate_inputs(action: Action, data: ActionInput) -> None:
    errors = {}
    if "opinion" in action.requires and not data.opinion.strip():
        errors["opinion"] = _("请填写办理意见")
    if "reason" in action.requires and not (data.reason.strip() or data.opinion.strip()):
        errors["reason"] = _("请填写理由")
    if "days" in action.requires:
        if data.days is None:
            errors["days"] = _("请填写期限（工作日）")
        elif not 1 <= data.days <= 120:
            errors["days"] = _("期限应在 1 至 120 个工作日之间")
    if "inspector" in action.requires and data.inspector is None:
        errors["inspector"] = _("请选择检查员")
    if "lab_tests" in action.requires:
        if data.lab is None:
            errors["lab"] = _("请选择检测机构")
        if not data.lab_tests:
            errors["lab_tests"] = _("请选择专项检测项目")
    if "experts" in action.requires and not data.experts:
        errors["experts"] = _("请填写专家抽取条件")
    if "favourable" in action.requires and data.favourable is None:
        errors["favourable"] = _("请选择评审结论")
    if errors:
        raise ValidationFailed(fields=errors)


def _leave(application, step, action: Action, target: str, *, actor, data: ActionInput, details: dict) -> None:
    """Close or pause the current step and move to `target`."""
    config = scheme_config(application.scheme)
    from_state = application.state
    now = clock.now()
    if target == RESUME:
        _finish(step, action.code, now)
        paused = step.origin
        _resume(paused, now)
        application.state = paused.code
        _log(application, step, actor, action.code, from_state, application.state, data, details)
        notify_step_opened(application, paused, config.step(paused.code))
        return
    if target == RETURN:
        _finish(step, action.code, now)
        origin = step.origin
        _log(application, step, actor, action.code, from_state, origin.code, data, details)
        _enter(application, config.step(origin.code), actor=actor, action=action.code, from_state=from_state,
               opinion="", log=False)
        return
    if target in PAUSING:
        _pause(step, now)
        origin = step
    else:
        _finish(step, action.code, now)
        # A suspension ordered during rectification still returns to the review step itself.
        origin = step.origin if step and step.code in DETOURS | PAUSING and target in DETOURS else step
    _log(application, step, actor, action.code, from_state, target, data, details)
    if target in TERMINAL:
        application.state = target
        application.closed_at = now
        return
    _enter(application, config.step(target), actor=actor, action=action.code, from_state=from_state,
           opinion="", origin=origin, days=data.days if target in DETOURS | PAUSING else None, log=False)


def _enter(application, spec: StepSpec, *, actor, action, from_state, opinion, origin=None, days=None, log=True,
           details=None):
    now = clock.now()
    limit = days if days is not None else spec.time_limit_wd
    step = Step.objects.create(application=application, code=spec.code, started_at=now, origin=origin)
    if limit:
        step.deadline = deadline_create(start=clock.today(), working_days=limit,
                                        purpose=f"{application.number} {spec.name}", owner=step)
        step.save(update_fields=["deadline"])
    application.state = spec.code
    if log:
        _log(application, step, actor, action, from_state, spec.code, ActionInput(opinion=opinion), details or {})
    notify_step_opened(application, step, spec)
    return step


def _finish(step: Step | None, outcome: str, now) -> None:
    if step is not None:
        step.finished_at, step.outcome = now, outcome
        step.save(update_fields=["finished_at", "outcome"])


def _pause(step: Step, now) -> None:
    """Stop the clock: keep the working days left (none if already overdue)."""
    remaining = None
    if step.deadline_id:
        due = step.deadline.due_on
        today = clock.today()
        remaining = working_days_between(today, due).count if due > today else 0
    step.paused_at, step.remaining_wd = now, remaining
    step.save(update_fields=["paused_at", "remaining_wd"])


def _resume(step: Step, now) -> None:
    """Restart the clock with the working days that were left when it stopped."""
    step.paused_at = None
    if step.remaining_wd is not None:
        spec_name = scheme_config(step.application.scheme).step(step.code).name
        step.deadline = deadline_create(start=clock.today(), working_days=step.remaining_wd,
                                        purpose=f"{step.application.number} {spec_name}（恢复计时）", owner=step)
    step.save(update_fields=["paused_at", "deadline"])


def _log(application, step, actor, action, from_state, to_state, data: ActionInput, details) -> Event:
    return Event.objects.create(
        application=application, step=step, action=action, from_state=from_state, to_state=to_state,
        actor=actor, opinion=(data.opinion or data.reason).strip(), details=_jsonable(details), at=clock.now(),
    )


def _jsonable(details: dict) -> dict:
    return {k: (str(v) if isinstance(v, date) else v) for k, v in details.items()}


def _check_not_barred(entity, config) -> None:
    """A revocation may bar new applications of the scheme for a time (green food: 3 years, for
    ever when serious; SPEC §10)."""
    from sanpin.supervision.services import active_ban

    ban = active_ban(entity, config.code, clock.today())
    if ban is not None:
        until = _("永久") if ban.until is None else _("%(day)s 前") % {"day": ban.until.isoformat()}
        raise ValidationFailed(_("不得申请"), fields={"entity": _("%(reason)s：%(until)s不得申请%(scheme)s") % {
            "reason": ban.reason, "until": until, "scheme": config.name}})


def _check_credit_allows(entity) -> None:
    """A serious credit failure bars new initial applications for the rulebook's period after the
    latest negative event (renewals remain possible and get the credit site inspection)."""
    today = clock.today()
    standing = policies.applicant_standing(entity, today)
    if standing is not None and standing.blocks(today):
        raise ValidationFailed(_("不得申请"), fields={"entity": standing.blocked_reason})


# --- creating ---------------------------------------------------------------------------------------


@transaction.atomic
def application_create(*, actor, scheme: str, kind: str, entity, products: list[dict], certificate=None,
                       data: dict | None = None, origin: str = "", inputs: list | None = None) -> Application:
    """A draft application of the actor's own entity. Products are validated against the scheme;
    renewal, change and stop name the certificate they concern. A scheme whose applications
    concern something of another app (a base's listing) is started only from that app, which
    names itself as `origin`. `inputs` are the declared inputs (green food), each naming a
    product by name or a crop; one bad item and nothing is written."""
    if Role.APPLICANT not in actor.roles or actor.entity_id != entity.pk:
        raise PermissionDenied(_("只能为本单位创建申请"))
    config = scheme_config(scheme)
    if config.extra.get("created_from", "") != origin:
        raise ValidationFailed(fields={"scheme": _("%(scheme)s的申请须从相应业务页面发起") % {"scheme": config.name}})
    if kind not in config.first_step:
        raise ValidationFailed(fields={"kind": _("%(scheme)s不办理此类申请") % {"scheme": config.name}})
    effects.check_kind_and_certificate(config, kind, entity, certificate)
    if kind == ApplicationKind.INITIAL:
        _check_not_barred(entity, config)
        if credit_applies(config, kind):
            _check_credit_allows(entity)
    cleaned = effects.clean_products(config, kind, products, certificate)
    application = Application.objects.create(
        scheme=scheme, kind=kind, entity=entity, certificate=certificate, data=effects.clean_data(config, data),
        created_by=actor,
    )
    for product in cleaned:
        application.products.create(**product)
    declared = []
    if inputs:
        from . import declared_inputs

        if not declared_inputs.declares_inputs(application):
            raise ValidationFailed(fields={"inputs": _("%s申请不申报投入品") % config.name})
        items, errors = declared_inputs.clean_inputs(inputs, list(application.products.all()))
        if errors:
            raise ValidationFailed(fields=errors)
        declared = [f"{i.get_kind_display()} {i.name}" for i in declared_inputs.create_declared(application, items)]
    audit.record(actor=actor, verb="application.create", target=application,
                 new={"scheme": scheme, "kind": kind, "products": [p["name"] for p in cleaned],
                      **({"inputs": declared} if declared else {})})
    return application
