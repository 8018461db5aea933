"""Reads of sanpin.workforce: whether a lab is blocked by its oversight record, and the labs and
people in the caller's scope. Yearly performance figures are in performance.py."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sanpin.accounts.choices import DesignationScheme, LabTest
from sanpin.accounts.models import ExpertProfile, InspectorQualification, LabDesignation, User
from sanpin.catalog.models import Entity
from sanpin.core.access import ALL, REGION, access_by_id, scope_for
from sanpin.core.errors import NotFound

from .choices import GROUP_KINDS, InspectionConclusion, PersonGroup, ProficiencyResult
from .models import LabInspection, ProficiencyTest, TrainingRecord

# --- labs -----------------------------------------------------------------------------------------


def _label(choices, code) -> str:
    return str(dict(choices.choices).get(code, code))


def _pt_blocks(*, lab_ids, scheme, test_codes, on_date) -> dict[tuple[int, str], ProficiencyTest]:
    """(lab, test) → the unsatisfactory result still standing on `on_date`: no satisfactory
    result of the same lab, scheme and test came after it (a questionable one does not lift it)."""
    rows = (ProficiencyTest.objects.filter(lab_id__in=lab_ids, scheme=scheme, test__in=test_codes,
                                           tested_on__lte=on_date, voided_at__isnull=True,
                                           result__in=[ProficiencyResult.SATISFACTORY,
                                                       ProficiencyResult.UNSATISFACTORY])
            .order_by("lab_id", "test", "tested_on", "pk"))
    latest: dict[tuple[int, str], ProficiencyTest] = {}
    for row in rows:
        latest[(row.lab_id, row.test)] = row
    return {key: row for key, row in latest.items() if row.result == ProficiencyResult.UNSATISFACTORY}


def _inspection_blocks(*, lab_ids, scheme, on_date) -> dict[int, LabInspection]:
    """lab → its failed flying inspection for `scheme` not followed by a passed one."""
    rows = (LabInspection.objects.filter(lab_id__in=lab_ids, scheme=scheme, inspected_on__lte=on_date,
                                         voided_at__isnull=True)
            .order_by("lab_id", "inspected_on", "pk"))
    latest: dict[int, LabInspection] = {}
    for row in rows:
        latest[row.lab_id] = row
    return {lab_id: row for lab_id, row in latest.items() if row.conclusion == InspectionConclusion.FAIL}


def _day(day: datetime.date) -> str:
    return day.strftime("%Y-%m-%d")


def _reasons(*, lab_ids, scheme: str, test_codes, on_date: datetime.date) -> dict[int, list[str]]:
    """{lab id: every reason it is blocked}: the failed flying inspection first, then each test
    with a standing unsatisfactory result, in the order of `test_codes`."""
    test_codes = list(test_codes)
    scheme_label = _label(DesignationScheme, scheme)
    names = dict(Entity.objects.filter(pk__in=lab_ids).values_list("pk", "name"))
    reasons: dict[int, list[str]] = {}
    for lab_id, inspection in _inspection_blocks(lab_ids=lab_ids, scheme=scheme, on_date=on_date).items():
        reasons.setdefault(lab_id, []).append(_(
            "%(lab)s 在 %(day)s 的%(scheme)s飞行检查结论为不合格，复查合格前不能委托%(scheme)s检测") % {
            "lab": names.get(lab_id, lab_id), "day": _day(inspection.inspected_on), "scheme": scheme_label})
    if test_codes:
        blocks = _pt_blocks(lab_ids=lab_ids, scheme=scheme, test_codes=test_codes, on_date=on_date)
        for (lab_id, test), result in sorted(blocks.items(), key=lambda kv: (kv[0][0], test_codes.index(kv[0][1]))):
            reasons.setdefault(lab_id, []).append(_(
                "%(lab)s 在 %(day)s 的%(test)s能力验证（%(programme)s）结果为不满意，"
                "取得满意结果前不能委托%(scheme)s%(test)s检测") % {
                "lab": names.get(lab_id, lab_id), "day": _day(result.tested_on), "test": _label(LabTest, test),
                "programme": result.programme, "scheme": scheme_label})
    return reasons


def lab_blocks(*, lab_ids, scheme: str, test_codes, on_date: datetime.date) -> dict[int, str]:
    """The check registered with sanpin.accounts.registries: {lab id: reason} for labs that a
    failed flying inspection of the scheme, or an unsatisfactory proficiency test of one of
    `test_codes`, keeps from being assigned on `on_date` [001 §19]."""
    found = _reasons(lab_ids=list(lab_ids), scheme=scheme, test_codes=test_codes, on_date=on_date)
    return {lab_id: reasons[0] for lab_id, reasons in found.items()}


@dataclass
class LabStanding:
    """A lab's designations and what currently keeps it from being assigned, per scheme."""

    lab: Entity
    designations: list = field(default_factory=list)
    blocked: dict = field(default_factory=dict)  # scheme label → list of reasons


def labs(user) -> QuerySet:
    """Testing labs (national staff only: labs are designated nationally)."""
    if scope_for(user, "view", ProficiencyTest).kind != ALL:
        return Entity.objects.none()
    return Entity.objects.filter(kind="lab").order_by("name")


def lab(user, pk) -> Entity:
    try:
        return labs(user).get(pk=pk)
    except (Entity.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def lab_standing(entity: Entity, on_date: datetime.date) -> LabStanding:
    """The lab's designations and, per designated scheme, why it is blocked on `on_date`."""
    designations = list(LabDesignation.objects.filter(lab=entity).order_by("scheme", "-valid_until"))
    for designation in designations:
        designation.test_labels = [_label(LabTest, t) for t in designation.tests]
    standing = LabStanding(lab=entity, designations=designations)
    for scheme in dict.fromkeys(d.scheme for d in designations):
        tests = [t for t in LabTest.values if any(t in d.tests for d in designations if d.scheme == scheme)]
        reasons = _reasons(lab_ids=[entity.pk], scheme=scheme, test_codes=tests, on_date=on_date).get(entity.pk)
        if reasons:
            standing.blocked[_label(DesignationScheme, scheme)] = reasons
    return standing


def proficiency_tests(user) -> QuerySet:
    return ProficiencyTest.objects.restrict(user, "view").select_related("lab", "recorded_by")


def lab_inspections(user) -> QuerySet:
    return LabInspection.objects.restrict(user, "view").select_related("lab", "recorded_by")


def proficiency_test(user, pk, action="view") -> ProficiencyTest:
    return access_by_id(ProficiencyTest, user, pk, action)


def lab_inspection(user, pk, action="view") -> LabInspection:
    return access_by_id(LabInspection, user, pk, action)


# --- people ---------------------------------------------------------------------------------------


def province_prefix(user) -> str | None:
    """'' for national staff (everyone), '45' for Guangxi provincial staff, None for no one."""
    scope = scope_for(user, "view", TrainingRecord)
    if scope.kind == ALL:
        return ""
    if scope.kind == REGION:
        return str(scope.value)[:2]
    return None


def _qualifications_in_scope(user) -> QuerySet:
    prefix = province_prefix(user)
    if prefix is None:
        return InspectorQualification.objects.none()
    rows = InspectorQualification.objects.all()
    return rows.filter(province__code__startswith=prefix) if prefix else rows


def people(user, *, group: str = "", q: str = "") -> QuerySet:
    """Registered inspectors, supervisors and internal inspectors: users holding a qualification
    registered in the caller's province (every province for national staff)."""
    quals = _qualifications_in_scope(user)
    if group:
        quals = quals.filter(kind__in=GROUP_KINDS.get(group, ()))
    rows = User.objects.filter(pk__in=quals.values("user_id"))
    if q:
        rows = rows.filter(Q(username__icontains=q) | Q(display_name__icontains=q)
                           | Q(qualifications__number__icontains=q)).distinct()
    return rows.order_by("username")


def person(user, pk) -> User:
    """One registered person in the caller's scope, or NotFound."""
    try:
        return people(user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def person_qualifications(user, person_user) -> QuerySet:
    return _qualifications_in_scope(user).filter(user=person_user).select_related("province")


def person_provinces(user, person_user) -> list[str]:
    return sorted(set(person_qualifications(user, person_user).values_list("province_id", flat=True)))


def trainings(user) -> QuerySet:
    return TrainingRecord.objects.restrict(user, "view").select_related("person", "province", "recorded_by")


def experts(user) -> QuerySet:
    """Expert-pool members the caller sees: all for national staff; for provincial staff those
    living in the province."""
    prefix = province_prefix(user)
    if prefix is None:
        return ExpertProfile.objects.none()
    rows = ExpertProfile.objects.select_related("user", "region")
    return (rows.filter(region__code__startswith=prefix) if prefix else rows).order_by("user__username")


def groups_of(kinds) -> list[str]:
    return [str(g.label) for g in PersonGroup if set(GROUP_KINDS[g]) & set(kinds)]
