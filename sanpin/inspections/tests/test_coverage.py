"""Coverage of the year's plans against the 100% target [002 §3(5)], per child region of the
caller's region, matching a hand-computed fixture."""

import datetime
from decimal import Decimal

import pytest

from sanpin.core.errors import NotFound
from sanpin.inspections import selectors, services

from .factories import inspector

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def figures(world, gx_plan, agencies, sh_entity, regions):
    """Guangxi 2026: 广西绿源 and 整改中公司 (both 450102, Nanning) inspected, 百色生资公司 (451031,
    Baise) not. Shanghai 2026: 申绿 planned, not inspected. Guangxi 2025: one item, not inspected."""
    staff = world["users"]["gx_province"]
    for item in gx_plan.items.all():
        services.item_assign(actor=staff, item=item, inspector=world["inspector"])
    for entity in (world["valid"], world["rectifying"]):
        services.inspection_record(actor=world["inspector"], item=gx_plan.items.get(entity=entity),
                                   inspected_on=D(2026, 2, 1), findings="", conclusion="pass")
    services.plan_generate(actor=world["users"]["sh_province"], province=regions["310000"], year=2026,
                           schemes=["green_food"])
    services.plan_generate(actor=staff, province=regions["450000"], year=2025, schemes=["green_inputs"])
    inspector("spare", agencies["gx"])
    return world


def table(rows):
    return {r.region.code: (r.planned, r.inspected, r.percent, r.flagged) for r in rows}


def test_coverage_per_child_region_matches_the_hand_computed_figures(figures, regions):
    national = table(selectors.coverage(year=2026, region=None))
    assert national == {"310000": (1, 0, Decimal("0.0"), True), "450000": (3, 2, Decimal("66.7"), True)}
    province = table(selectors.coverage(year=2026, region=regions["450000"]))
    assert province == {"450100": (2, 2, Decimal("100.0"), False), "451000": (1, 0, Decimal("0.0"), True)}
    city = table(selectors.coverage(year=2026, region=regions["450100"]))
    assert city == {"450102": (2, 2, Decimal("100.0"), False), "450103": (0, 0, None, False)}
    assert table(selectors.coverage(year=2025, region=regions["450000"])) == {
        "450100": (0, 0, None, False), "451000": (1, 0, Decimal("0.0"), True)}


def test_coverage_is_limited_to_the_callers_region(figures, users):
    assert selectors.region_in_scope(users["gx_province"], "").code == "450000"
    assert selectors.region_in_scope(users["nn_city"], "450102").code == "450102"
    with pytest.raises(NotFound):
        selectors.region_in_scope(users["gx_province"], "310000")
    with pytest.raises(NotFound):
        selectors.region_in_scope(users["nn_city"], "451000")
    assert selectors.region_in_scope(users["national"], "") is None


def test_coverage_api_and_page(figures, api, client, users):
    api.force_authenticate(users["gx_province"])
    body = api.get("/api/v1/stats/annual-inspection-coverage/?year=2026").json()
    assert [(r["region"]["code"], r["planned"], r["inspected"], r["percent"], r["flagged"]) for r in body] == [
        ("450100", 2, 2, "100.0", False), ("451000", 1, 0, "0.0", True)]
    assert api.get("/api/v1/stats/annual-inspection-coverage/?year=2026&region=310000").status_code == 404
    assert api.get("/api/v1/stats/annual-inspection-coverage/?year=abc").status_code == 400
    api.force_authenticate(users["gx_applicant"])
    assert api.get("/api/v1/stats/annual-inspection-coverage/").status_code == 403
    client.force_login(users["gx_province"])
    page = client.get("/inspections/coverage/?year=2026").content.decode()
    assert "百色" in page and "data-flagged" in page and "上海" not in page
