"""The lab-block hook of the registries: checks registered by other apps (a failed proficiency
test or flying inspection, sanpin.workforce) make lab_check_assignable refuse a lab with their
reason and designated_labs leave it out; with no check blocking, nothing changes."""

import datetime

import pytest

from sanpin.accounts import registries
from sanpin.accounts.choices import DesignationScheme, LabTest
from sanpin.accounts.registries import designated_labs, lab_blocks, lab_check_assignable, lab_designation_create
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def labs(users, regions):
    out = {}
    for key, name in (("a", "甲检测中心"), ("b", "乙检测中心")):
        out[key] = EntityFactory(name=name, kind=EntityKind.LAB, region=regions["450103"])
        lab_designation_create(
            actor=users["admin"], lab=out[key], scheme=DesignationScheme.GREEN_FOOD,
            tests=[LabTest.ROUTINE, LabTest.PESTICIDE_RESIDUES], valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2027, 12, 31))
    return out


@pytest.fixture
def only_check(monkeypatch):
    """Replace the registered checks (the installed apps' ones) by the given one for a test."""
    def install(check):
        monkeypatch.setattr(registries, "_LAB_BLOCKS", [])
        registries.register_lab_block(check)
        registries.register_lab_block(check)  # idempotent
        assert [check] == registries._LAB_BLOCKS
        return check
    return install


def test_the_workforce_check_is_registered_when_the_app_is_installed():
    from sanpin.workforce.selectors import lab_blocks as workforce_check

    assert workforce_check in registries._LAB_BLOCKS


def test_a_blocked_lab_is_refused_with_the_checks_reason_and_left_out(labs, only_check):
    calls = []

    def check(*, lab_ids, scheme, test_codes, on_date):
        calls.append((sorted(lab_ids), scheme, list(test_codes), on_date))
        if scheme == "green_food" and "pesticide_residues" in test_codes:
            return {labs["a"].pk: "甲检测中心 能力验证不满意"}
        return {}

    only_check(check)
    with pytest.raises(ValidationFailed, match="甲检测中心 能力验证不满意") as caught:
        lab_check_assignable(lab_entity=labs["a"], scheme="green_food",
                             test_codes=["routine", "pesticide_residues"], on_date=DAY)
    assert caught.value.fields == {"lab": ["甲检测中心 能力验证不满意"]}
    assert calls[-1] == ([labs["a"].pk], "green_food", ["routine", "pesticide_residues"], DAY)
    # other tests, and the other lab, are unaffected
    lab_check_assignable(lab_entity=labs["a"], scheme="green_food", test_codes=["routine"], on_date=DAY)
    lab_check_assignable(lab_entity=labs["b"], scheme="green_food", test_codes=["pesticide_residues"], on_date=DAY)
    assert list(designated_labs(scheme="green_food", test_codes=["pesticide_residues"], on_date=DAY)) == [labs["b"]]
    assert set(designated_labs(scheme="green_food", test_codes=["routine"], on_date=DAY)) == {labs["a"], labs["b"]}


def test_designation_reasons_come_before_the_checks(labs, only_check):
    only_check(lambda **kw: {lab_id: "不应出现" for lab_id in kw["lab_ids"]})
    with pytest.raises(ValidationFailed, match="不含以下检测项目：重金属"):
        lab_check_assignable(lab_entity=labs["a"], scheme="green_food", test_codes=["heavy_metals"], on_date=DAY)
    with pytest.raises(ValidationFailed, match="不是有机农产品定点检测机构"):
        lab_check_assignable(lab_entity=labs["a"], scheme="organic", test_codes=["routine"], on_date=DAY)


def test_first_check_wins_and_no_labs_means_no_call(labs, only_check):
    def first(**kw):
        return {labs["a"].pk: "第一"}

    only_check(first)
    registries.register_lab_block(lambda **kw: {labs["a"].pk: "第二", labs["b"].pk: "第二"})
    assert lab_blocks(lab_ids=[labs["a"].pk, labs["b"].pk], scheme="green_food", test_codes=[], on_date=DAY) == {
        labs["a"].pk: "第一", labs["b"].pk: "第二"}
    assert lab_blocks(lab_ids=[], scheme="green_food", test_codes=[], on_date=DAY) == {}
    assert not designated_labs(scheme="green_food", test_codes=[], on_date=DAY).exists()


def test_without_checks_nothing_changes(labs, only_check, monkeypatch):
    monkeypatch.setattr(registries, "_LAB_BLOCKS", [])
    lab_check_assignable(lab_entity=labs["a"], scheme="green_food", test_codes=["pesticide_residues"], on_date=DAY)
    assert set(designated_labs(scheme="green_food", test_codes=["pesticide_residues"], on_date=DAY)) == {
        labs["a"], labs["b"]}
