"""The registries the review workflow draws on: qualified inspectors, the expert pool with its
audited random draw, and designated testing labs.

Selectors answer "who may be assigned"; the `*_check_assignable` functions raise
ValidationFailed with the reason in Chinese so the workflow can refuse an assignment with a
message the user understands. Services change the registries and write one audit event each.
"""

import datetime
import random
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sanpin.catalog.models import Entity, Region
from sanpin.core import audit
from sanpin.core.access import require_role
from sanpin.core.errors import ValidationFailed

from .choices import DesignationScheme, ExpertSpecialty, LabTest, QualificationKind, Role
from .models import ExpertDraw, ExpertProfile, InspectorQualification, LabDesignation, User

# Seeds are stored in a signed 64-bit column on every database.
SEED_LIMIT = 2**63

# Who may draw expert panels: the bodies that organise expert review [004 §11(4)], and the
# SYSTEM user when the workflow draws on its own.
DRAW_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_REVIEWER, Role.PROVINCIAL_REVIEWER})


def _require_registry_admin(actor) -> None:
    if getattr(actor, "is_system", False) or getattr(actor, "is_superuser", False):
        return
    require_role(actor, {Role.SYSTEM_ADMIN})


def _date(day: datetime.date) -> str:
    return day.strftime("%Y-%m-%d")


# --- Inspectors ------------------------------------------------------------------------------------


def _province_code(code: str) -> str:
    """Any region code → its province's code (450102 → 450000)."""
    return f"{str(code)[:2]}0000"


def _province_name(code: str) -> str:
    region = Region.objects.filter(code=code).first()
    return region.name if region else code


def eligible_inspectors(*, province_code: str, kinds: Iterable[str], on_date: datetime.date) -> QuerySet:
    """Active inspectors holding a qualification of one of `kinds`, registered in the province
    of `province_code` and valid on `on_date` [001 §21, 004 §11(2)]."""
    kinds = list(kinds)
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.INSPECTOR,
            qualifications__kind__in=kinds,
            qualifications__province_id=_province_code(province_code),
            qualifications__valid_from__lte=on_date,
            qualifications__valid_until__gte=on_date,
        )
        .distinct()
        .order_by("username")
    )


def inspector_check_assignable(*, user: User, province_code: str, kinds: Iterable[str],
                               on_date: datetime.date) -> None:
    """Refuse, with the reason, to assign `user` an inspection in that province on that day."""
    kinds = list(kinds)
    province = _province_code(province_code)
    kind_labels = dict(QualificationKind.choices)
    wanted = "、".join(str(kind_labels.get(k, k)) for k in kinds)

    def refuse(reason):
        raise ValidationFailed(reason, fields={"inspector": reason})

    if not user.is_active or Role.INSPECTOR not in user.roles:
        refuse(_("%(user)s 不是在岗的检查员") % {"user": user})
    held = list(InspectorQualification.objects.filter(user=user, kind__in=kinds).order_by("-valid_until"))
    if not held:
        refuse(_("%(user)s 没有%(kinds)s资质") % {"user": user, "kinds": wanted})
    in_province = [q for q in held if q.province_id == province]
    if not in_province:
        refuse(_("%(user)s 的%(kinds)s资质注册在%(other)s，不能在%(province)s执行检查") % {
            "user": user, "kinds": wanted, "other": "、".join(sorted({_province_name(q.province_id) for q in held})),
            "province": _province_name(province),
        })
    if any(q.is_valid_on(on_date) for q in in_province):
        return
    latest = in_province[0]
    if latest.valid_until < on_date:
        refuse(_("%(user)s 的资质（%(number)s）已于 %(day)s 过期") % {
            "user": user, "number": latest.number, "day": _date(latest.valid_until)})
    earliest = min(in_province, key=lambda q: q.valid_from)
    refuse(_("%(user)s 的资质（%(number)s）自 %(day)s 起才生效") % {
        "user": user, "number": earliest.number, "day": _date(earliest.valid_from)})


# --- Expert pool --------------------------------------------------------------------------------------


def _clean_specialties(specialties) -> list[str]:
    codes = list(dict.fromkeys(specialties or []))
    unknown = [c for c in codes if c not in ExpertSpecialty.values]
    if not codes:
        raise ValidationFailed(fields={"specialties": _("请至少选择一个评审专业")})
    if unknown:
        raise ValidationFailed(fields={"specialties": _("未知的评审专业：%(codes)s") % {"codes": "、".join(unknown)}})
    return codes


def _expert_snapshot(profile: ExpertProfile) -> dict:
    return {
        "specialties": profile.specialties, "title": profile.title, "organisation": profile.organisation,
        "entity": profile.entity_id, "region": profile.region_id, "is_active": profile.is_active,
    }


@transaction.atomic
def expert_profile_save(*, actor, user: User, specialties, title: str = "", organisation: str = "",
                        entity: Entity | None = None, region: Region | None = None,
                        is_active: bool = True) -> ExpertProfile:
    """Create or update the expert-pool entry of `user` (who must hold the expert role)."""
    _require_registry_admin(actor)
    errors = {}
    if Role.EXPERT not in user.roles:
        errors["user"] = _("该用户没有评审专家角色")
    try:
        specialties = _clean_specialties(specialties)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if region is not None and not region.accepts_entities():
        errors["region"] = _("常住地须选择县级行政区划")
    if errors:
        raise ValidationFailed(fields=errors)
    profile = ExpertProfile.objects.filter(user=user).first()
    before = _expert_snapshot(profile) if profile else None
    if profile is None:
        profile = ExpertProfile(user=user)
    profile.specialties, profile.title, profile.organisation = specialties, title.strip(), organisation.strip()
    profile.entity, profile.region, profile.is_active = entity, region, is_active
    profile.save()
    after = _expert_snapshot(profile)
    old, new = audit.diff(before, after) if before else (None, after)
    audit.record(actor=actor, verb="accounts.expert_profile_save", target=profile, old=old, new=new)
    return profile


def _region_prefix(code: str) -> str:
    """A region code as the prefix of everything under it: 450000 → 45, 450100 → 4501."""
    code = str(code)
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def expert_candidates(*, specialty: str, exclude_entity_ids: Iterable[int] = (),
                      exclude_region_codes: Iterable[str] = ()) -> list[ExpertProfile]:
    """Active experts of `specialty` without a conflict of interest, ordered by user id (the
    order the draw depends on). Experts employed by an excluded entity, or living in (or under)
    an excluded region, are left out."""
    excluded_entities = {int(e) for e in exclude_entity_ids}
    prefixes = tuple(_region_prefix(c) for c in exclude_region_codes)
    profiles = (
        ExpertProfile.objects.filter(is_active=True, user__is_active=True, user__role_assignments__role=Role.EXPERT)
        .select_related("user")
        .order_by("user_id")
        .distinct()
    )
    return [
        p for p in profiles
        if specialty in p.specialties
        and p.entity_id not in excluded_entities
        and not (prefixes and p.region_id and p.region_id.startswith(prefixes))
    ]


def _pick(seed: int, candidate_ids: list[int], size: int) -> list[int]:
    """The draw itself: deterministic for a seed and an ordered candidate list."""
    return random.Random(seed).sample(candidate_ids, size)


@transaction.atomic
def expert_panel_draw(*, actor, subject_label: str, specialty: str, size: int,
                      exclude_entity_ids: Iterable[int] = (), exclude_region_codes: Iterable[str] = (),
                      seed: int | None = None) -> ExpertDraw:
    """Draw `size` experts at random for one review [004 §11(4)], avoiding conflicts of interest.

    Side effects: an ExpertDraw row (seed, candidates, picks) and one audit event. With the same
    seed and candidates the picks are the same, so anyone can check the draw afterwards."""
    if not getattr(actor, "is_system", False):
        require_role(actor, DRAW_ROLES)
    errors = {}
    subject_label = (subject_label or "").strip()
    if not subject_label:
        errors["subject_label"] = _("请填写评审对象")
    if specialty not in ExpertSpecialty.values:
        errors["specialty"] = _("未知的评审专业")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        errors["size"] = _("抽取人数须为正整数")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < SEED_LIMIT):
        errors["seed"] = _("随机种子须为 0 至 2^63-1 之间的整数")
    if errors:
        raise ValidationFailed(fields=errors)
    exclude_entity_ids = sorted({int(e) for e in exclude_entity_ids})
    exclude_region_codes = sorted({str(c) for c in exclude_region_codes})
    candidates = expert_candidates(
        specialty=specialty, exclude_entity_ids=exclude_entity_ids, exclude_region_codes=exclude_region_codes
    )
    if len(candidates) < size:
        message = _("符合条件的%(specialty)s专家只有 %(n)s 名，不足 %(size)s 名，无法抽取") % {
            "specialty": ExpertSpecialty(specialty).label, "n": len(candidates), "size": size}
        raise ValidationFailed(message, fields={"size": message})
    if seed is None:
        seed = secrets.randbelow(SEED_LIMIT)
    candidate_ids = [p.user_id for p in candidates]
    picked_ids = _pick(seed, candidate_ids, size)
    draw = ExpertDraw.objects.create(
        actor=actor, subject_label=subject_label[:200], specialty=specialty, size=size, seed=seed,
        excluded_entity_ids=exclude_entity_ids, excluded_region_codes=exclude_region_codes,
        candidate_ids=candidate_ids, picked_ids=picked_ids,
    )
    audit.record(
        actor=actor, verb="accounts.expert_panel_draw", target=draw,
        new={"subject": subject_label, "specialty": specialty, "size": size, "seed": str(seed),
             "excluded_entity_ids": exclude_entity_ids, "excluded_region_codes": exclude_region_codes,
             "candidate_ids": candidate_ids, "picked_ids": picked_ids},
    )
    return draw


def expert_draw_replay(draw: ExpertDraw) -> list[int]:
    """Re-run a stored draw; equal to `draw.picked_ids` unless the record was tampered with."""
    return _pick(draw.seed, list(draw.candidate_ids), draw.size)


def expert_draw_panel(draw: ExpertDraw) -> list[User]:
    """The picked experts as users, in the order they were drawn."""
    by_id = User.objects.in_bulk(draw.picked_ids)
    return [by_id[pk] for pk in draw.picked_ids if pk in by_id]


# --- Designated labs -----------------------------------------------------------------------------------


def _test_label(code: str) -> str:
    return str(dict(LabTest.choices).get(code, code))


# Reasons beyond the designation itself that keep a lab from being assigned for a while, held by
# other apps (a failed proficiency test or flying inspection [001 §19], sanpin.workforce), which
# register a check here in their AppConfig.ready(): check(*, lab_ids, scheme, test_codes, on_date)
# → {lab id: reason in Chinese} for the labs it blocks.
_LAB_BLOCKS: list = []


def register_lab_block(check) -> None:
    """Add a check that may block designated labs (idempotent)."""
    if check not in _LAB_BLOCKS:
        _LAB_BLOCKS.append(check)


def lab_blocks(*, lab_ids: Iterable[int], scheme: str, test_codes: Iterable[str],
               on_date: datetime.date) -> dict[int, str]:
    """{lab id: reason} for the labs among `lab_ids` a registered check blocks (its first reason)."""
    lab_ids, test_codes = list(lab_ids), list(test_codes)
    blocked: dict[int, str] = {}
    if not lab_ids:
        return blocked
    for check in _LAB_BLOCKS:
        for lab_id, reason in check(lab_ids=lab_ids, scheme=scheme, test_codes=test_codes, on_date=on_date).items():
            blocked.setdefault(lab_id, reason)
    return blocked


def _valid_designations(*, scheme: str, on_date: datetime.date) -> QuerySet:
    return LabDesignation.objects.filter(
        scheme=scheme, is_suspended=False, valid_from__lte=on_date, valid_until__gte=on_date, lab__is_active=True,
    ).select_related("lab")


def designated_labs(*, scheme: str, test_codes: Iterable[str], on_date: datetime.date) -> QuerySet:
    """Labs designated for `scheme` on `on_date`, not suspended, whose scope covers ALL the
    requested tests (one designation may not cover them all, but a lab's valid designations
    for the scheme together may), and not blocked by a registered check (lab_blocks)."""
    wanted = set(test_codes)
    scope: dict[int, set] = {}
    for designation in _valid_designations(scheme=scheme, on_date=on_date):
        scope.setdefault(designation.lab_id, set()).update(designation.tests)
    lab_ids = [lab_id for lab_id, tests in scope.items() if wanted <= tests]
    blocked = lab_blocks(lab_ids=lab_ids, scheme=scheme, test_codes=sorted(wanted), on_date=on_date)
    lab_ids = [lab_id for lab_id in lab_ids if lab_id not in blocked]
    return Entity.objects.filter(pk__in=lab_ids).order_by("name")


def lab_check_assignable(*, lab_entity: Entity, scheme: str, test_codes: Iterable[str],
                         on_date: datetime.date) -> None:
    """Refuse, naming what is missing, to assign tests to a lab outside its designated scope or
    blocked by a registered check (e.g. an unsatisfactory proficiency test)."""
    wanted = list(dict.fromkeys(test_codes))
    scheme_label = str(dict(DesignationScheme.choices).get(scheme, scheme))

    def refuse(reason):
        raise ValidationFailed(reason, fields={"lab": reason})

    unknown = [c for c in wanted if c not in LabTest.values]
    if unknown:
        refuse(_("未知的检测项目：%(codes)s") % {"codes": "、".join(unknown)})
    if not lab_entity.is_active:
        refuse(_("%(lab)s 已注销，不能委托检测") % {"lab": lab_entity})
    designations = list(LabDesignation.objects.filter(lab=lab_entity, scheme=scheme))
    if not designations:
        refuse(_("%(lab)s 不是%(scheme)s定点检测机构") % {"lab": lab_entity, "scheme": scheme_label})
    valid = [d for d in designations if d.is_valid_on(on_date)]
    if not valid:
        suspended = [d for d in designations if d.is_suspended and d.valid_from <= on_date <= d.valid_until]
        if suspended:
            refuse(_("%(lab)s 的%(scheme)s检测资格已暂停：%(reason)s") % {
                "lab": lab_entity, "scheme": scheme_label, "reason": suspended[0].suspension_reason})
        refuse(_("%(lab)s 的%(scheme)s定点资格在 %(day)s 不在有效期内") % {
            "lab": lab_entity, "scheme": scheme_label, "day": _date(on_date)})
    covered = set().union(*(d.tests for d in valid))
    missing = [c for c in wanted if c not in covered]
    if missing:
        refuse(_("%(lab)s 的定点范围不含以下检测项目：%(tests)s") % {
            "lab": lab_entity, "tests": "、".join(_test_label(c) for c in missing)})
    blocked = lab_blocks(lab_ids=[lab_entity.pk], scheme=scheme, test_codes=wanted, on_date=on_date)
    if lab_entity.pk in blocked:
        refuse(blocked[lab_entity.pk])


def _designation_snapshot(designation: LabDesignation) -> dict:
    return {
        "lab": designation.lab_id, "scheme": designation.scheme, "tests": designation.tests,
        "basis": designation.basis, "valid_from": designation.valid_from, "valid_until": designation.valid_until,
        "is_suspended": designation.is_suspended, "suspension_reason": designation.suspension_reason,
    }


@transaction.atomic
def lab_designation_create(*, actor, lab: Entity, scheme: str, tests, valid_from: datetime.date,
                           valid_until: datetime.date, basis: str = "") -> LabDesignation:
    """Designate a lab for a scheme and a list of test items [001 §19]."""
    _require_registry_admin(actor)
    errors = {}
    if lab.kind != "lab":
        errors["lab"] = _("只有检测机构类主体可以被指定")
    if scheme not in DesignationScheme.values:
        errors["scheme"] = _("未知的业务类型")
    tests = list(dict.fromkeys(tests or []))
    unknown = [c for c in tests if c not in LabTest.values]
    if not tests:
        errors["tests"] = _("请至少选择一个检测项目")
    elif unknown:
        errors["tests"] = _("未知的检测项目：%(codes)s") % {"codes": "、".join(unknown)}
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = _("有效期至不能早于有效期起")
    if errors:
        raise ValidationFailed(fields=errors)
    designation = LabDesignation.objects.create(
        lab=lab, scheme=scheme, tests=tests, basis=(basis or "").strip(), valid_from=valid_from,
        valid_until=valid_until,
    )
    audit.record(actor=actor, verb="accounts.lab_designation_create", target=designation,
                 new=_designation_snapshot(designation))
    return designation


@transaction.atomic
def lab_designation_suspend(*, actor, designation: LabDesignation, reason: str) -> LabDesignation:
    """Suspend a designation (e.g. after a failed proficiency test or flying check [001 §19]):
    the lab can no longer be assigned tests of that scheme until resumed."""
    _require_registry_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": _("请说明暂停原因")})
    designation = LabDesignation.objects.select_for_update().get(pk=designation.pk)
    if designation.is_suspended:
        raise ValidationFailed(fields={"designation": _("该定点资格已处于暂停状态")})
    designation.is_suspended, designation.suspension_reason = True, reason[:200]
    designation.save(update_fields=["is_suspended", "suspension_reason", "updated_at"])
    audit.record(actor=actor, verb="accounts.lab_designation_suspend", target=designation,
                 old={"is_suspended": False}, new={"is_suspended": True}, reason=reason)
    return designation


@transaction.atomic
def lab_designation_resume(*, actor, designation: LabDesignation, reason: str) -> LabDesignation:
    """Lift a suspension."""
    _require_registry_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": _("请说明恢复原因")})
    designation = LabDesignation.objects.select_for_update().get(pk=designation.pk)
    if not designation.is_suspended:
        raise ValidationFailed(fields={"designation": _("该定点资格未被暂停")})
    old_reason = designation.suspension_reason
    designation.is_suspended, designation.suspension_reason = False, ""
    designation.save(update_fields=["is_suspended", "suspension_reason", "updated_at"])
    audit.record(actor=actor, verb="accounts.lab_designation_resume", target=designation,
                 old={"is_suspended": True, "suspension_reason": old_reason}, new={"is_suspended": False},
                 reason=reason)
    return designation
