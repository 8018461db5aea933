"""Lab oversight [001 §19]: an unsatisfactory proficiency test makes a lab unassignable for that
scheme and test until a later satisfactory one; a failed flying inspection blocks the whole
scheme until a later pass; questionable results, voided records and records after the day do
not count. Bad input writes nothing."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanpin.accounts.registries import designated_labs, lab_check_assignable
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.workforce import selectors, services
from sanpin.workforce.models import LabInspection, ProficiencyTest

from .conftest import TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


def pt(actor, lab, result, *, day, test="pesticide_residues", scheme="green_food"):
    return services.proficiency_test_record(
        actor=actor, lab=lab, scheme=scheme, test=test, programme=f"{day.year}年农药残留能力验证",
        organiser="农业农村部农产品质量安全中心", tested_on=day, result=result)


def inspect(actor, lab, conclusion, *, day, scheme="green_food"):
    return services.lab_inspection_record(actor=actor, lab=lab, scheme=scheme, inspected_on=day,
                                          findings="原始记录不完整", conclusion=conclusion)


def assignable(lab, test="pesticide_residues", scheme="green_food", day=TODAY):
    try:
        lab_check_assignable(lab_entity=lab, scheme=scheme, test_codes=[test], on_date=day)
    except ValidationFailed as exc:
        in_list = lab in designated_labs(scheme=scheme, test_codes=[test], on_date=day)
        assert not in_list, "designated_labs must agree with lab_check_assignable"
        return exc.message
    assert lab in designated_labs(scheme=scheme, test_codes=[test], on_date=day)
    return True


def test_failed_proficiency_test_blocks_that_scheme_and_test_until_a_later_satisfactory_one(users, lab):
    national = users["national"]
    pt(national, lab, "satisfactory", day=D(2025, 10, 1))
    assert assignable(lab) is True
    pt(national, lab, "unsatisfactory", day=D(2026, 3, 1))
    message = assignable(lab)
    assert message == ("广西桂标检测中心 在 2026-03-01 的农药残留能力验证（2026年农药残留能力验证）结果为不满意，"
                       "取得满意结果前不能委托绿色食品农药残留检测")
    # the same test of another scheme and another test of the scheme are unaffected
    assert assignable(lab, scheme="green_inputs") is True
    assert assignable(lab, test="routine") is True
    # before the result was known the lab was assignable
    assert assignable(lab, day=D(2026, 2, 28)) is True
    # a questionable result does not lift it
    pt(national, lab, "questionable", day=D(2026, 4, 1))
    assert assignable(lab) is not True
    # a later satisfactory one does, from its date on
    pt(national, lab, "satisfactory", day=D(2026, 5, 20))
    assert assignable(lab) is True
    assert assignable(lab, day=D(2026, 5, 19)) is not True


def test_failed_flying_inspection_blocks_every_test_of_the_scheme_until_a_pass(users, lab):
    national = users["national"]
    inspect(national, lab, "fail", day=D(2026, 4, 10))
    for test in ("routine", "pesticide_residues", "heavy_metals"):
        assert "飞行检查结论为不合格" in assignable(lab, test=test)
    assert assignable(lab, scheme="green_inputs") is True
    # a satisfactory proficiency test does not lift a failed inspection
    pt(national, lab, "satisfactory", day=D(2026, 5, 1))
    assert assignable(lab) is not True
    inspect(national, lab, "pass", day=D(2026, 5, 15))
    assert assignable(lab) is True
    standing = selectors.lab_standing(lab, TODAY)
    assert standing.blocked == {}


def test_voided_records_do_not_count(users, lab):
    national = users["national"]
    wrong = pt(national, lab, "unsatisfactory", day=D(2026, 3, 1))
    assert assignable(lab) is not True
    services.lab_record_void(actor=national, record=wrong, reason="录错机构")
    assert assignable(lab) is True
    with pytest.raises(Conflict):
        services.lab_record_void(actor=national, record=wrong, reason="再次作废")
    with pytest.raises(ValidationFailed) as caught:
        services.lab_record_void(actor=national, record=inspect(national, lab, "fail", day=D(2026, 3, 1)),
                                 reason=" ")
    assert "reason" in caught.value.fields
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"workforce.proficiency_test_record", "workforce.proficiencytest_void",
            "workforce.lab_inspection_record"} <= verbs


def test_lab_standing_lists_every_reason(users, lab):
    national = users["national"]
    pt(national, lab, "unsatisfactory", day=D(2026, 3, 1))
    pt(national, lab, "unsatisfactory", day=D(2026, 3, 2), test="heavy_metals")
    inspect(national, lab, "fail", day=D(2026, 4, 1), scheme="green_inputs")
    standing = selectors.lab_standing(lab, TODAY)
    assert list(standing.blocked) == ["绿色食品", "绿色食品生产资料"]
    food = standing.blocked["绿色食品"]
    assert len(food) == 2 and "重金属能力验证" in food[0] and "农药残留能力验证" in food[1]
    assert "飞行检查" in standing.blocked["绿色食品生产资料"][0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 60), st.sampled_from(["satisfactory", "questionable", "unsatisfactory"])),
                max_size=6),
       st.integers(0, 70))
def test_blocked_exactly_when_the_last_decisive_result_before_the_day_is_unsatisfactory(users, lab, results, offset):
    """Reference model: order by (date, entry); ignore questionable and later results; blocked iff
    the last remaining one is unsatisfactory."""
    ProficiencyTest.objects.all().delete()
    start = D(2026, 1, 1)
    for days, result in results:
        pt(users["national"], lab, result, day=start + datetime.timedelta(days=days))
    day = start + datetime.timedelta(days=offset)
    decisive = sorted((days, entry, result) for entry, (days, result) in enumerate(results)
                      if days <= offset and result != "questionable")
    expect_blocked = bool(decisive) and decisive[-1][2] == "unsatisfactory"
    assert (assignable(lab, day=day) is not True) == expect_blocked


def test_bad_input_is_refused_and_nothing_written(users, lab, regions):
    national = users["national"]
    not_a_lab = EntityFactory(name="某企业", kind=EntityKind.ENTERPRISE, region=regions["450102"])
    undesignated = EntityFactory(name="未定点检测所", kind=EntityKind.LAB, region=regions["450102"])
    cases = [
        (dict(lab=not_a_lab), "lab"),
        (dict(lab=undesignated), "scheme"),
        (dict(scheme="cooking"), "scheme"),
        (dict(test="taste"), "test"),
        (dict(programme=" "), "programme"),
        (dict(organiser=""), "organiser"),
        (dict(tested_on=TODAY + datetime.timedelta(days=1)), "tested_on"),
        (dict(tested_on=None), "tested_on"),
        (dict(result="good"), "result"),
    ]
    base = dict(lab=lab, scheme="green_food", test="routine", programme="计划", organiser="中心", tested_on=TODAY,
                result="satisfactory")
    for change, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            services.proficiency_test_record(actor=national, **{**base, **change})
        assert field in caught.value.fields, (change, caught.value.fields)
    with pytest.raises(ValidationFailed) as caught:
        services.lab_inspection_record(actor=national, lab=lab, scheme="green_food", inspected_on=TODAY,
                                       findings=" ", conclusion="maybe")
    assert set(caught.value.fields) == {"findings", "conclusion"}
    for role in ("gx_province", "nn_city", "inspector", "gx_applicant"):
        with pytest.raises(PermissionDenied):
            services.proficiency_test_record(actor=users[role], **base)
    assert not ProficiencyTest.objects.exists() and not LabInspection.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="workforce.").exists()


def test_sampling_refuses_a_blocked_lab(users, lab):
    """Other apps call the registries: the green-food test assignment refuses the lab too."""
    pt(users["national"], lab, "unsatisfactory", day=D(2026, 3, 1), test="routine")
    with pytest.raises(ValidationFailed, match=r"常规检项.*不满意"):
        lab_check_assignable(lab_entity=lab, scheme="green_food", test_codes=["routine", "heavy_metals"],
                             on_date=TODAY)
    assert not designated_labs(scheme="green_food", test_codes=["routine"], on_date=TODAY).exists()
    # the workflow's form lists labs for the scheme without tests: a per-test block leaves it listed
    assert lab in designated_labs(scheme="green_food", test_codes=[], on_date=TODAY)
