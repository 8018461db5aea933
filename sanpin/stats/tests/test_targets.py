"""Progress to the Guangxi 2024 plan (seed 002 annex) per city, checked against a fixture counted by
hand: certificates issued, revoked, suspended and expired through the services on their own days."""

import datetime
from decimal import Decimal

import pytest

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.services import certificate_set_status
from sanpin.certificates.tests.factories import issue
from sanpin.core.audit import AuditEvent
from sanpin.stats.demo_targets import GUANGXI_2024, load_demo_targets
from sanpin.stats.models import Target
from sanpin.stats.targets import counting_day, progress

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def guangxi(regions):
    """The 14 cities of the annex, and a county under Liuzhou for a holder."""
    for code, name, _value in GUANGXI_2024:
        Region.objects.update_or_create(code=code, defaults={"name": name, "level": RegionLevel.CITY,
                                                             "parent_id": "450000"})
    Region.objects.update_or_create(code="450202", defaults={"name": "城中区", "level": RegionLevel.COUNTY,
                                                             "parent_id": "450200"})
    return Region.objects.get(code="450000")


def grant(on_day, holder, *, day, until, scheme="green_food"):
    on_day(day)
    extra = {"certifier_code": "001"} if scheme == "organic" else {}
    return issue(holder, scheme=scheme, category="01", product_name="香米", approved_on=day, valid_from=day,
                 valid_until=until, **extra)


def change(on_day, users, certificate, *, day, status):
    on_day(day)
    certificate_set_status(actor=users["national"], certificate=certificate, status=status, reason="监督抽检不合格")


@pytest.fixture
def fixture(guangxi, users, on_day):
    """Counted by hand on 31 December 2024:
    南宁 (兴宁区): 3 green food valid + 1 organic valid = 4; an expired one (30 June 2024) and an
      organic one revoked in November 2024 do not count.
    百色 (隆林): 2 valid + 1 in rectification since October + 1 revoked in February 2025 (still valid
      on the day) = 4; one suspended in December and restored in January 2025 does not count.
    柳州 (城中区): one issued in 2025 and a green-input licence (not this measure) → 0.
    上海: one valid, outside Guangxi."""
    nanning = EntityFactory(region=Region.objects.get(code="450102"))
    baise = EntityFactory(region=Region.objects.get(code="451031"))
    liuzhou = EntityFactory(region=Region.objects.get(code="450202"))
    shanghai = EntityFactory(region=Region.objects.get(code="310101"))
    for _ in range(3):
        grant(on_day, nanning, day=D(2023, 5, 1), until=D(2026, 4, 30))
    grant(on_day, nanning, day=D(2024, 3, 1), until=D(2025, 2, 28), scheme="organic")
    grant(on_day, nanning, day=D(2021, 7, 1), until=D(2024, 6, 30))
    revoked = grant(on_day, nanning, day=D(2024, 2, 1), until=D(2025, 1, 31), scheme="organic")
    change(on_day, users, revoked, day=D(2024, 11, 15), status="revoked")
    for _ in range(2):
        grant(on_day, baise, day=D(2022, 9, 1), until=D(2025, 8, 31))
    rectifying = grant(on_day, baise, day=D(2024, 4, 1), until=D(2027, 3, 31))
    change(on_day, users, rectifying, day=D(2024, 10, 8), status="in_rectification")
    later = grant(on_day, baise, day=D(2024, 4, 1), until=D(2027, 3, 31))
    change(on_day, users, later, day=D(2025, 2, 10), status="revoked")
    paused = grant(on_day, baise, day=D(2024, 4, 1), until=D(2027, 3, 31))
    change(on_day, users, paused, day=D(2024, 12, 5), status="suspended")
    change(on_day, users, paused, day=D(2025, 1, 20), status="valid")
    grant(on_day, liuzhou, day=D(2025, 1, 10), until=D(2028, 1, 9))
    grant(on_day, liuzhou, day=D(2024, 1, 10), until=D(2027, 1, 9), scheme="green_inputs")
    grant(on_day, shanghai, day=D(2024, 1, 10), until=D(2027, 1, 9))
    load_demo_targets()
    on_day(D(2025, 3, 1))


def test_guangxi_2024_progress_per_city_matches_the_hand_count(guangxi, fixture):
    result = progress(year=2024, region=guangxi, measure="green_organic")
    assert result.on == D(2024, 12, 31)
    rows = {row.region.code: row for row in result.rows}
    assert len(rows) == 14
    nanning, baise, liuzhou = rows["450100"], rows["451000"], rows["450200"]
    assert (nanning.target, nanning.valid, nanning.percent, nanning.gap) == (140, 4, Decimal("2.9"), 136)
    assert (baise.target, baise.valid, baise.percent, baise.gap) == (285, 4, Decimal("1.4"), 281)
    assert (liuzhou.target, liuzhou.valid, liuzhou.percent, liuzhou.gap) == (248, 0, Decimal("0.0"), 248)
    assert all(row.valid == 0 for code, row in rows.items() if code not in ("450100", "451000"))
    assert (result.total.target, result.total.valid, result.total.percent) == (1700, 8, Decimal("0.5"))
    assert nanning.source == "2024年广西绿色食品、有机农产品发展指导性计划表"


def test_regions_without_a_target_and_targets_without_certificates_both_appear(guangxi, fixture):
    Target.objects.filter(region_id="451000").delete()
    rows = {row.region.code: row for row in progress(year=2024, region=guangxi, measure="green_organic").rows}
    assert (rows["451000"].target, rows["451000"].valid, rows["451000"].percent) == (None, 4, None)
    assert (rows["451400"].target, rows["451400"].valid, rows["451400"].gap) == (28, 0, 28)


def test_the_year_not_over_is_counted_today(guangxi, fixture, on_day):
    on_day(D(2024, 11, 30))
    result = progress(year=2024, region=guangxi, measure="green_organic")
    assert result.on == D(2024, 11, 30)
    rows = {row.region.code: row for row in result.rows}
    assert rows["450100"].valid == 4  # the organic one revoked on 15 November is already out
    assert counting_day(2024, D(2025, 1, 1)) == D(2024, 12, 31)


def test_the_country_shows_provinces_and_the_province_s_own_target(guangxi, fixture, users):
    from sanpin.stats.target_services import target_set

    target_set(actor=users["national"], region=guangxi, year=2024, measure="green_organic", value=1700,
               source="全国计划")
    national = progress(year=2024, measure="green_organic")
    rows = {row.region.code: row for row in national.rows}
    assert (rows["450000"].target, rows["450000"].valid) == (1700, 8)
    assert rows["310000"].valid == 1 and rows["310000"].target is None
    assert progress(year=2024, region=guangxi, measure="green_organic").region_target.value == 1700


def test_a_county_is_its_own_only_row(guangxi, fixture):
    county = Region.objects.get(code="451031")
    result = progress(year=2024, region=county, measure="green_organic")
    assert [(row.region.code, row.valid) for row in result.rows] == [("451031", 4)]


def test_loading_the_demo_twice_changes_nothing(guangxi):
    load_demo_targets()
    events = AuditEvent.objects.count()
    load_demo_targets()
    assert AuditEvent.objects.count() == events
    assert Target.objects.filter(year=2024, measure="green_organic").count() == 14
    assert sum(Target.objects.values_list("value", flat=True)) == 1700
