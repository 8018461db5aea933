"""The pass rate per region against the ≥98% target [002 §2], checked against a fixture counted
by hand, through the API and the page, limited to the caller's region."""

from decimal import Decimal

import pytest

from sanpin.catalog.tests.factories import EntityFactory
from sanpin.sampling.models import SamplingPlan, SamplingTask, TaskStatus
from sanpin.sampling.selectors import pass_rates

from .conftest import certificates

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/sampling-pass-rates/"


@pytest.fixture
def fixture(world, gx_entity, sh_entity, regions):
    """2026: 兴宁区 (450102) 3 pass 1 fail; 隆林 (451031) 2 pass; 上海 (310101) 1 pass 1 fail.
    Left out: a Guangxi failure of a 2025 plan and a task of 2026 still without a report."""
    longlin = EntityFactory(name="隆林各族自治县某合作社", region=regions["451031"])
    plans = {year: SamplingPlan.objects.create(number=f"CJ{year}9999", year=year, scheme="green_inputs",
                                               title="手算样例", created_by=world["national"], status="drawn")
             for year in (2025, 2026)}
    rows = [(gx_entity, 2026, "pass")] * 3 + [(gx_entity, 2026, "fail")] + [(longlin, 2026, "pass")] * 2 + [
        (sh_entity, 2026, "pass"), (sh_entity, 2026, "fail"), (gx_entity, 2025, "fail"), (gx_entity, 2026, "")]
    for i, (holder, year, conclusion) in enumerate(rows):
        [certificate] = certificates(holder, 1)
        SamplingTask.objects.create(number=f"T{i:03d}", plan=plans[year], certificate=certificate, weight=1,
                                    lab=world["lab"], conclusion=conclusion,
                                    status=TaskStatus.REPORTED if conclusion else TaskStatus.ASSIGNED)
    return world


def _by_code(body):
    return {row["region"]["code"]: (row["tested"], row["passed"], row["percent"], row["below_target"])
            for row in body["rows"] if row["tested"]}


def test_the_country_by_province(fixture):
    rows, total = pass_rates(year=2026)
    counted = {r.region.code: (r.tested, r.passed, r.percent) for r in rows if r.tested}
    assert counted == {"450000": (6, 5, Decimal("83.3")), "310000": (2, 1, Decimal("50.0"))}
    assert (total.tested, total.passed, total.failed, total.percent, total.below_target) == (
        8, 6, 2, Decimal("75.0"), True)


def test_the_api_for_national_and_provincial_staff(fixture, api):
    api.force_authenticate(fixture["national"])
    body = api.get(URL, {"year": 2026}).json()
    assert body["target"] == 98 and body["year"] == 2026
    assert _by_code(body) == {"450000": (6, 5, "83.3", True), "310000": (2, 1, "50.0", True)}
    api.force_authenticate(fixture["gx_province"])
    body = api.get(URL, {"year": 2026}).json()
    assert _by_code(body) == {"450100": (4, 3, "75.0", True), "451000": (2, 2, "100.0", False)}
    assert body["total"]["tested"] == 6 and body["total"]["percent"] == "83.3"
    assert api.get(URL, {"year": 2026, "region": "310000"}).status_code == 404  # another province
    assert api.get(URL, {"year": "20x6"}).json()["fields"] == {"year": ["年度须为 2000 至 2100 之间的整数"]}
    api.force_authenticate(fixture["nn_city"])
    assert _by_code(api.get(URL, {"year": 2026}).json()) == {"450102": (4, 3, "75.0", True)}
    api.force_authenticate(fixture["lab_user"])
    assert api.get(URL, {"year": 2026}).status_code == 403


def test_the_page(fixture, client):
    client.force_login(fixture["gx_province"])
    page = client.get("/sampling/pass-rates/", {"year": 2026}).content.decode()
    assert "南宁市" in page and "75.0%" in page and "100.0%" in page and "83.3%" in page
    assert "上海" not in page
