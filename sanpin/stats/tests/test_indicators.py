"""The indicators per region, checked against a small world counted by hand (two Guangxi cities
and Shanghai), through the function and the API; scope and the query count of the endpoint."""

import datetime
from datetime import date
from decimal import Decimal

import pytest

from sanpin.catalog.choices import EntityKind, RegionLevel
from sanpin.catalog.models import Region
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.services import green_inputs_validity
from sanpin.certificates.tests.factories import issue
from sanpin.certification.models import Application, Fee, FeeSchedule
from sanpin.credit.models import CreditStanding
from sanpin.sampling.models import SamplingPlan, SamplingTask, TaskStatus
from sanpin.stats.indicators import Period, compute

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
URL = "/api/v1/stats/indicators/"


def renew(old, *, approved_on):
    valid_from = old.valid_until + datetime.timedelta(days=1)
    return issue(old.holder, approved_on=approved_on, valid_from=valid_from,
                 valid_until=green_inputs_validity(valid_from), number=old.number, predecessor=old,
                 product_name=old.product_name)


def _waiver(entity, actor, schedule, amounts, *, assessed_on=date(2026, 6, 1)):
    app = Application.objects.create(scheme="green_inputs", kind="initial", entity=entity, state="submitted",
                                     created_by=actor)
    for item, waived in zip(("review", "mark_use"), amounts, strict=False):
        Fee.objects.create(application=app, item=item, quantity=1, unit_amount=Decimal("1000"),
                           gross_amount=Decimal("1000"), waived_amount=Decimal(waived),
                           amount_due=Decimal("1000") - Decimal(waived), schedule=schedule,
                           assessed_on=assessed_on)
    return app


def build_world(users, regions):
    """2026, counted by hand (today 20 November):

    南宁 (兴宁区): new A (Mar), new B (May); C approved 2023 ends 2026 and was renewed in time by C2
    (Jan 2026): valid 3 (A, B, C2), new 2, renewed 1, ending 1 of which renewed in time 1.
    Sampling 3 tested, 2 passed. Fee waivers: one application, 300 + 200 = 500.00 (a 2025 waiver
    and an application without a waiver do not count). Credit: one A, one B.
    百色 (隆林): new D (Jul); E approved 2023 ends 2026 and was not renewed: valid 1, new 1,
    ending 1, renewed 0. Sampling 1 tested, 1 passed. Waivers: one application, 800.00.
    Credit: one D.
    上海 (黄浦区): new F (Apr): valid 1, new 1. Credit: one C."""
    actor = users["national"]
    nanning = users["gx_applicant"].entity  # 兴宁区 450102
    nanning2 = EntityFactory(name="南宁青秀果蔬合作社", region=regions["450103"], kind=EntityKind.COOPERATIVE)
    baise = EntityFactory(name="隆林山地农业有限公司", region=regions["451031"])
    shanghai = users["sh_applicant"].entity
    a = issue(nanning, approved_on=date(2026, 3, 1), product_name="A 有机肥")
    b = issue(nanning2, approved_on=date(2026, 5, 10), product_name="B 有机肥")
    c = issue(nanning, approved_on=date(2023, 2, 1), product_name="C 有机肥")
    renew(c, approved_on=date(2026, 1, 10))
    d = issue(baise, approved_on=date(2026, 7, 1), product_name="D 有机肥")
    issue(baise, approved_on=date(2023, 6, 1), product_name="E 有机肥")
    issue(shanghai, approved_on=date(2026, 4, 1), product_name="F 有机肥")

    lab = EntityFactory(name="广西桂标检测技术有限公司", kind=EntityKind.LAB, region=regions["450103"])
    plan = SamplingPlan.objects.create(number="CJ20269999", year=2026, scheme="green_inputs", title="手算样例",
                                       created_by=actor, status="drawn")
    for i, (certificate, conclusion) in enumerate([(a, "pass"), (b, "pass"), (c, "fail"), (d, "pass")]):
        SamplingTask.objects.create(number=f"T{i:03d}", plan=plan, certificate=certificate, weight=1, lab=lab,
                                    conclusion=conclusion, status=TaskStatus.REPORTED)

    schedule = FeeSchedule.objects.create(scheme="green_inputs", item="review", amount=Decimal("1000"),
                                          effective_from=date(2020, 1, 1), source="测试收费标准")
    _waiver(nanning, actor, schedule, ["300", "200"])
    _waiver(nanning, actor, schedule, ["0"])
    _waiver(nanning, actor, schedule, ["400"], assessed_on=date(2025, 6, 1))
    _waiver(baise, actor, schedule, ["800"])

    for entity, grade in ((nanning, "A"), (nanning2, "B"), (baise, "D"), (shanghai, "C")):
        CreditStanding.objects.create(entity=entity, score=Decimal("80"), grade=grade, rulebook_version=1,
                                      computed_on=TODAY)
    return {"nanning": nanning, "baise": baise, "shanghai": shanghai}


@pytest.fixture
def world(users, regions, on_day):
    on_day(TODAY)
    return build_world(users, regions)


def by_code(rows):
    return {row.code: row for row in rows}


def test_the_cities_of_guangxi_match_the_hand_count(world, regions):
    ind = compute(region=regions["450000"], period=Period(2026))
    rows = by_code(ind.rows)
    nn, bs = rows["450100"], rows["451000"]
    assert (nn.valid, nn.new, nn.renewed, nn.expiring, nn.renewed_in_time) == (3, 2, 1, 1, 1)
    assert (bs.valid, bs.new, bs.renewed, bs.expiring, bs.renewed_in_time) == (1, 1, 0, 1, 0)
    assert (nn.renewal_rate, bs.renewal_rate) == (Decimal("100.0"), Decimal("0.0"))
    assert (nn.sampled, nn.sampled_passed, nn.sampling_pass_rate) == (3, 2, Decimal("66.7"))
    assert (bs.sampled, bs.sampled_passed, bs.sampling_pass_rate) == (1, 1, Decimal("100.0"))
    assert (nn.waivers, nn.waived_amount, bs.waivers, bs.waived_amount) == (1, Decimal("500.00"), 1, Decimal("800.00"))
    assert nn.grades == {"A": 1, "B": 1, "C": 0, "D": 0} and bs.grades == {"A": 0, "B": 0, "C": 0, "D": 1}
    total = ind.total
    assert (total.valid, total.new, total.renewed, total.renewal_rate) == (4, 3, 1, Decimal("50.0"))
    assert (total.sampled, total.sampled_passed, total.waived_amount) == (4, 3, Decimal("1300.00"))
    assert total.grades == {"A": 1, "B": 1, "C": 0, "D": 1}  # Shanghai's C is not Guangxi's
    assert [t["month"] for t in ind.trend] == list(range(1, 13))
    assert {t["month"]: (t["new"], t["renewed"]) for t in ind.trend if t["new"] or t["renewed"]} == {
        1: (0, 1), 3: (1, 0), 5: (1, 0), 7: (1, 0)}


def test_the_country_is_broken_down_by_province(world):
    rows = by_code(compute(region=None, period=Period(2026)).rows)
    assert (rows["450000"].valid, rows["450000"].new, rows["310000"].valid, rows["310000"].new) == (4, 3, 1, 1)
    assert rows["310000"].grades["C"] == 1


def test_a_month_range_counts_only_its_months(world, regions):
    rows = by_code(compute(region=regions["450000"], period=Period(2026, 3, 5)).rows)
    assert (rows["450100"].new, rows["451000"].new) == (2, 0)  # March and May; July is outside
    assert rows["450100"].waivers == 0  # the June waiver is outside
    # Valid is counted on the last day of the period (31 May): A, B and C2 in Nanning, E in Baise.
    assert (rows["450100"].valid, rows["451000"].valid) == (3, 1)


def test_a_scheme_filter_leaves_other_schemes_out(world, regions):
    ind = compute(region=regions["450000"], scheme="green_food", period=Period(2026))
    assert (ind.total.valid, ind.total.new, ind.total.sampled) == (0, 0, 0)


def test_the_api_gives_rows_and_total_for_the_callers_region(world, api, users):
    api.force_authenticate(users["gx_province"])
    body = api.get(URL, {"year": 2026}).json()
    assert body["region"]["code"] == "450000"
    rows = {row["code"]: row for row in body["rows"]}
    assert (rows["450100"]["valid"], rows["450100"]["renewal_rate"], rows["450100"]["waived_amount"]) == (
        3, "100.0", "500.00")
    assert body["total"]["valid"] == 4 and body["total"]["sampling_pass_rate"] == "75.0"


def test_drilling_outside_ones_region_is_not_found(world, api, users):
    api.force_authenticate(users["nn_city"])
    assert api.get(URL, {"region": "450000"}).status_code == 404  # its own province is above it
    assert api.get(URL, {"region": "310000"}).status_code == 404  # another province
    body = api.get(URL, {"year": 2026}).json()
    assert body["region"]["code"] == "450100" and {r["code"] for r in body["rows"]} == {"450102", "450103"}
    api.force_authenticate(users["sh_province"])
    assert api.get(URL, {"region": "450100"}).status_code == 404
    api.force_authenticate(users["gx_applicant"])
    assert api.get(URL).status_code == 403
    api.force_authenticate(users["gx_province"])
    assert api.get(URL, {"year": "20x6"}).json()["fields"]["year"]
    assert api.get(URL, {"scheme": "tea"}).json()["fields"]["scheme"]


def _more_cities(regions, n):
    for i in range(n):
        Region.objects.create(code=f"45{20 + i:02d}00", name=f"测试市{i}", level=RegionLevel.CITY,
                              parent=regions["450000"])


def test_the_endpoint_costs_the_same_queries_however_many_regions(world, api, users, regions,
                                                                  django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api.force_authenticate(users["gx_province"])
    with CaptureQueriesContext(connection) as few:
        assert api.get(URL, {"year": 2026}).status_code == 200
    _more_cities(regions, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get(URL, {"year": 2026}).json()
    assert len(body["rows"]) == 14
    assert len(few.captured_queries) <= 40


def test_fee_waivers_count_applications_and_sum_amounts(world, regions):
    ind = compute(region=None, period=Period(2026))
    assert (ind.total.waivers, ind.total.waived_amount) == (2, Decimal("1300.00"))

