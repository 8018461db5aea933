"""Fees and waivers as data [001 §4, 002 §3(1)4]: computed for the applicant's county on the day
of submission and frozen with the rule that applied."""

from datetime import date
from decimal import Decimal

import pytest

from sanpin.certification import fees
from sanpin.certification.choices import FeeItem, WaiverCondition
from sanpin.certification.models import FeeSchedule, FeeWaiverRule
from sanpin.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

GREEN_FOOD_ITEMS = (FeeItem.REVIEW, FeeItem.MARK_USE)
ORGANIC_ITEMS = (FeeItem.APPLICATION, FeeItem.REVIEW, FeeItem.REGISTRATION)


@pytest.fixture
def schedules(db):
    for scheme, item, amount in (
        ("green_food", FeeItem.REVIEW, "6400"), ("green_food", FeeItem.MARK_USE, "800"),
        ("organic", FeeItem.APPLICATION, "1000"), ("organic", FeeItem.REVIEW, "3000"),
        ("organic", FeeItem.REGISTRATION, "500"),
    ):
        FeeSchedule.objects.create(scheme=scheme, item=item, amount=Decimal(amount), effective_from=date(2020, 1, 1),
                                   source="测试收费标准")
    FeeWaiverRule.objects.create(scheme="green_food", items=list(GREEN_FOOD_ITEMS),
                                 condition=WaiverCondition.POVERTY_EXIT, years_after_exit=5, reduction_percent=100,
                                 effective_from=date(2021, 1, 1), source="001 §4")
    FeeWaiverRule.objects.create(scheme="green_food", items=list(GREEN_FOOD_ITEMS),
                                 condition=WaiverCondition.KEY_ASSISTANCE, reduction_percent=100,
                                 effective_from=date(2021, 1, 1), source="002 §3(1)4")
    for condition in (WaiverCondition.POVERTY_EXIT, WaiverCondition.KEY_ASSISTANCE):
        FeeWaiverRule.objects.create(scheme="organic", items=list(ORGANIC_ITEMS), condition=condition,
                                     years_after_exit=5 if condition == WaiverCondition.POVERTY_EXIT else None,
                                     reduction_percent=35, effective_from=date(2021, 1, 1), source="002 §3(1)4")


@pytest.fixture
def exited_county(regions):
    """隆林: a 脱贫县 that exited in 2020 (and, unless a test says otherwise, not key-assisted)."""
    county = regions["451031"]
    county.poverty_exit_county, county.poverty_exit_year, county.key_assistance_county = True, 2020, False
    county.save()
    return county


def due(lines):
    return sum((line.due for line in lines), Decimal("0"))


def test_green_food_in_a_poverty_exit_county_three_years_after_exit_pays_nothing(schedules, exited_county):
    lines = fees.compute(scheme="green_food", items=GREEN_FOOD_ITEMS, county=exited_county, quantity=2,
                         on=date(2023, 6, 1))
    assert due(lines) == 0
    assert sum(line.gross for line in lines) == Decimal("14400.00")
    assert all("脱贫县" in line.reason for line in lines)


def test_green_food_six_years_after_exit_pays_in_full(schedules, exited_county):
    lines = fees.compute(scheme="green_food", items=GREEN_FOOD_ITEMS, county=exited_county, quantity=2,
                         on=date(2026, 6, 1))
    assert due(lines) == Decimal("14400.00") and not any(line.rule for line in lines)


def test_the_last_year_of_the_transition_period_is_still_waived(schedules, exited_county):
    assert due(fees.compute(scheme="green_food", items=GREEN_FOOD_ITEMS, county=exited_county, quantity=1,
                            on=date(2025, 12, 31))) == 0


def test_organic_in_a_key_assistance_county_pays_65_percent(schedules, regions):
    county = regions["451031"]
    county.key_assistance_county = True
    county.save()
    lines = fees.compute(scheme="organic", items=ORGANIC_ITEMS, county=county, quantity=1, on=date(2026, 6, 1))
    assert due(lines) == Decimal("2925.00")  # (1000 + 3000 + 500) × 65%


def test_where_two_rules_apply_the_larger_reduction_wins_and_nothing_is_added_up(schedules, exited_county):
    exited_county.key_assistance_county = True
    exited_county.save()
    lines = fees.compute(scheme="organic", items=ORGANIC_ITEMS, county=exited_county, quantity=1,
                         on=date(2023, 6, 1))
    assert due(lines) == Decimal("2925.00")


def test_an_ordinary_county_pays_the_schedule(schedules, regions):
    assert due(fees.compute(scheme="green_food", items=GREEN_FOOD_ITEMS, county=regions["450102"], quantity=3,
                            on=date(2026, 6, 1))) == Decimal("21600.00")


def test_a_missing_schedule_is_named(schedules, regions):
    with pytest.raises(ValidationFailed, match="收费标准"):
        fees.compute(scheme="green_inputs", items=(FeeItem.REVIEW,), county=regions["450102"], quantity=1,
                     on=date(2026, 6, 1))


def test_fees_are_frozen_at_submission_with_the_schedule_of_that_day(drive, world, gx_entity, on_day):
    from .test_green_inputs_flow import submitted

    app_id = submitted(drive, gx_entity, on_day)
    FeeSchedule.objects.filter(scheme="green_inputs").update(amount=Decimal("99999"))
    app = drive.get(app_id).json()
    assert {f["item"]: f["amount_due"] for f in app["fees"]} == {"review": "8000.00", "management": "4000.00"}


def test_waivers_granted_are_reported_by_scheme_and_item(schedules, exited_county):
    from sanpin.accounts.tests.factories import UserFactory
    from sanpin.catalog.tests.factories import EntityFactory
    from sanpin.certification.models import Application

    entity = EntityFactory(region=exited_county)
    application = Application.objects.create(scheme="green_food", kind="initial", entity=entity,
                                             created_by=UserFactory())
    on = date(2023, 6, 1)
    fees.freeze(application, fees.compute(scheme="green_food", items=GREEN_FOOD_ITEMS, county=exited_county,
                                          quantity=1, on=on), on)
    report = fees.waivers_granted(year=2023, region_prefix="45")
    assert {(r["item"], r["waived"]) for r in report} == {("review", Decimal("6400.00")),
                                                          ("mark_use", Decimal("800.00"))}
    assert fees.waivers_granted(year=2023, region_prefix="31") == []
