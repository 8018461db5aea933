"""A green food pesticide residue is judged against the stricter of the standards table's limit and
the allowed-pesticide list's limit in force for the holder's province on the sampling day, and the
result says which limit applied and where it comes from."""

from datetime import date
from decimal import Decimal

import pytest

from sanpin.accounts.choices import LabTest
from sanpin.accounts.models import LabDesignation
from sanpin.certificates.tests.factories import issue
from sanpin.inputs.tests.conftest import RICE_LIMIT, make_list
from sanpin.sampling import services
from sanpin.sampling.models import Standard

from .conftest import drawn_plan

pytestmark = pytest.mark.django_db
LIST_TITLE = "广西绿色食品可用农药清单（2024）"


@pytest.fixture
def green_food_task(world, gx_entity):
    LabDesignation.objects.create(lab=world["lab"], scheme="green_food",
                                  tests=[LabTest.HEAVY_METALS, LabTest.PESTICIDE_RESIDUES],
                                  valid_from=date(2025, 1, 1), valid_until=date(2027, 12, 31))
    for indicator, test, limit in (("镉（以Cd计）", LabTest.HEAVY_METALS, "0.2"),
                                   ("吡虫啉", LabTest.PESTICIDE_RESIDUES, "0.1"),
                                   ("噻嗪酮", LabTest.PESTICIDE_RESIDUES, "0.01")):
        Standard.objects.create(scheme="green_food", category="01", indicator=indicator, test=test,
                                limit_max=Decimal(limit), unit="mg/kg", source_standard="NY/T 419 绿色食品 稻米")
    make_list(world["gx_province"], inputs=[("吡虫啉", [RICE_LIMIT]),
                                            ("噻嗪酮", [{**RICE_LIMIT, "max_value": "300", "unit": "μg/kg"}])])
    issue(gx_entity, scheme="green_food", category="01", product_name="绿源牌大米")
    return drawn_plan(world, {"450000": 1}, scheme="green_food").tasks.get()


def results(imidacloprid, buprofezin="0.005"):
    return [{"indicator": "镉（以Cd计）", "value": "0.05", "unit": "mg/kg"},
            {"indicator": "吡虫啉", "value": imidacloprid, "unit": "mg/kg"},
            {"indicator": "噻嗪酮", "value": buprofezin, "unit": "mg/kg"}]


def test_the_stricter_allowed_list_limit_fails_a_value_the_table_would_pass(world, green_food_task):
    report = services.report_submit(actor=world["lab_user"], task=green_food_task, results=results("0.08"),
                                    sampled_on=date(2026, 2, 20))
    assert report.conclusion == "fail"
    rows = {r.indicator: r for r in report.results.all()}
    imidacloprid = rows["吡虫啉"]
    assert (imidacloprid.limit_max, imidacloprid.limit_basis, imidacloprid.passed) == (
        Decimal("0.05"), "allowed_inputs", False)
    assert imidacloprid.limit_source == f"《{LIST_TITLE}》水稻 ≤ 0.05 mg/kg（GB 2763—2021）"
    # Where the table is stricter (噻嗪酮: 0.01 mg/kg against the list's 300 μg/kg), the table applies.
    assert (rows["噻嗪酮"].limit_max, rows["噻嗪酮"].limit_basis) == (Decimal("0.01"), "standards_table")
    assert rows["噻嗪酮"].limit_source == "NY/T 419 绿色食品 稻米"
    assert rows["镉（以Cd计）"].limit_basis == "standards_table"


def test_a_value_within_the_stricter_limit_passes(world, green_food_task):
    report = services.report_submit(actor=world["lab_user"], task=green_food_task, results=results("0.03"))
    assert report.conclusion == "pass"


def test_a_list_not_yet_in_force_on_the_sampling_day_does_not_apply(world, green_food_task):
    report = services.report_submit(actor=world["lab_user"], task=green_food_task, results=results("0.08"),
                                    sampled_on=date(2023, 12, 1))
    row = report.results.get(indicator="吡虫啉")
    assert report.conclusion == "pass" and row.limit_max == Decimal("0.1") and row.limit_basis == "standards_table"


def test_the_report_page_says_which_limit_applied(world, green_food_task, client):
    services.report_submit(actor=world["lab_user"], task=green_food_task, results=results("0.08"))
    client.force_login(world["gx_province"])
    page = client.get(f"/sampling/tasks/{green_food_task.pk}/").content.decode()
    assert "绿色食品可用农药清单" in page and f"《{LIST_TITLE}》水稻 ≤ 0.05 mg/kg" in page
