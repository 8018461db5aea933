"""The "十百千万" measures: outlets open and specialists trained and not left on the counting day,
per district, against their targets, through sanpin.stats.targets.progress and the API."""

import datetime

import pytest

from sanpin.stats.models import Target, TargetMeasure
from sanpin.stats.targets import progress

from .. import registry
from ..choices import OutletKind
from .factories import outlet, specialist

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 12, 31)


@pytest.fixture
def registry_world(users, regions, today):
    """黄浦: 2 market zones open (a third closed in November), 1 counter; 3 specialists of whom
    2 count (one never trained, one left). 徐汇: 1 counter opened after the counting day, 1
    specialist trained only after it."""
    staff = users["sh_province"]
    huangpu, xuhui = regions["310101"], regions["310104"]
    outlet(staff, huangpu, host="江桥批发市场")
    outlet(staff, huangpu, host="西郊国际农产品交易中心")
    closed = outlet(staff, huangpu, host="曹安市场")
    registry.outlet_close(actor=staff, outlet=closed, closed_on=datetime.date(2025, 11, 30), reason="市场改造")
    outlet(staff, huangpu, kind=OutletKind.STORE_COUNTER, host="第一食品商店")
    outlet(staff, xuhui, kind=OutletKind.STORE_COUNTER, host="徐家汇超市", opened_on=datetime.date(2026, 1, 10))
    specialist(staff, huangpu, name="张一", trained_on=datetime.date(2025, 4, 1))
    specialist(staff, huangpu, name="张二", trained_on=datetime.date(2025, 12, 31))
    specialist(staff, huangpu, name="张三")
    gone = specialist(staff, huangpu, name="张四", trained_on=datetime.date(2025, 4, 1))
    registry.specialist_leave(actor=staff, specialist=gone, left_on=datetime.date(2025, 10, 1))
    specialist(staff, xuhui, name="李一", trained_on=datetime.date(2026, 2, 1))
    for measure, value in ((TargetMeasure.MARKET_ZONE, 2), (TargetMeasure.STORE_COUNTER, 3),
                           (TargetMeasure.SPECIALIST, 5)):
        Target.objects.create(region=huangpu, year=2025, measure=measure, value=value, source="演示数据",
                              updated_by=users["admin"])
    Target.objects.create(region=regions["310000"], year=2025, measure=TargetMeasure.SPECIALIST, value=405,
                          source="沪农委〔2023〕20号 附件4", updated_by=users["admin"])


def _rows(result):
    return {row.region.code: (row.target, row.valid) for row in result.rows}


def test_outlets_and_specialists_are_counted_per_district_against_targets(registry_world, regions):
    shanghai = regions["310000"]
    zones = progress(year=2025, region=shanghai, measure=TargetMeasure.MARKET_ZONE)
    assert zones.on == DAY
    assert _rows(zones) == {"310101": (2, 2), "310104": (None, 0)}
    assert zones.rows[0].reached and zones.rows[0].gap == 0
    counters = progress(year=2025, region=shanghai, measure=TargetMeasure.STORE_COUNTER)
    assert _rows(counters) == {"310101": (3, 1), "310104": (None, 0)}
    assert counters.rows[0].gap == 2
    people = progress(year=2025, region=shanghai, measure=TargetMeasure.SPECIALIST)
    assert _rows(people) == {"310101": (5, 2), "310104": (None, 0)}
    assert people.region_target.value == 405
    assert people.count_label == "在岗且已培训的推广专员数"
    # The whole country: Shanghai's row holds every district's count.
    country = progress(year=2025, region=None, measure=TargetMeasure.SPECIALIST)
    assert _rows(country)["310000"] == (405, 2)
    assert _rows(country)["450000"] == (None, 0)


def test_a_later_counting_day_sees_later_openings_and_trainings(registry_world, regions):
    on = datetime.date(2026, 3, 1)
    assert _rows(progress(year=2026, region=regions["310000"], measure=TargetMeasure.STORE_COUNTER, on=on)) == {
        "310101": (None, 1), "310104": (None, 1)}
    assert _rows(progress(year=2026, region=regions["310000"], measure=TargetMeasure.SPECIALIST, on=on)) == {
        "310101": (None, 2), "310104": (None, 1)}


def test_product_measures_are_not_touched(registry_world, regions):
    assert _rows(progress(year=2025, region=regions["310000"], measure=TargetMeasure.GREEN_ORGANIC)) == {
        "310101": (None, 0), "310104": (None, 0)}


def test_the_targets_api_counts_them_too(api, registry_world, users):
    api.force_authenticate(users["sh_province"])
    body = api.get("/api/v1/stats/targets/", {"year": 2025, "region": "310000", "measure": "store_counter"}).json()
    assert body["counted_on"] == "2025-12-31"
    assert body["count_label"] == "开设中的商超专柜数"
    rows = {row["region"]["code"]: (row["target"], row["valid"], row["gap"]) for row in body["rows"]}
    assert rows == {"310101": (3, 1, 2), "310104": (None, 0, None)}
    assert body["total"]["valid"] == 1
    assert api.get("/api/v1/stats/targets/", {"year": 2025, "measure": "outlets"}).status_code == 400


def test_the_targets_page_and_its_export_name_what_is_counted(client, registry_world, users):
    import io

    from openpyxl import load_workbook

    client.force_login(users["sh_province"])
    page = client.get("/stats/targets/", {"year": 2025, "region": "310000", "measure": "specialist"})
    assert page.status_code == 200
    assert "在岗且已培训的推广专员数" in page.content.decode()
    export = client.get("/stats/targets/export/", {"year": 2025, "region": "310000", "measure": "specialist"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][3] == "在岗且已培训的推广专员数"
    assert rows[2][:4] == ("310101", "黄浦区", 5, 2)


def test_district_counts_on_the_registry_pages(client, registry_world, users):
    client.force_login(users["sh_province"])
    page = client.get("/promotion/outlets/", {"on": "2025-12-31"})
    assert page.status_code == 200
    counts = {c["code"]: c for c in page.context["counts"]}
    assert counts["310101"]["market_zones"] == 2
    assert counts["310101"]["store_counters"] == 1
    assert counts["310101"]["specialists"] == 2
    assert "310104" not in counts
    active = client.get("/promotion/specialists/", {"state": "active", "on": "2025-12-31"})
    assert sorted(s.name for s in active.context["page_obj"]) == ["张一", "张二"]
