"""The public directory of production bases: no sign-in, listed bases only, searchable, each with a
public page by directory number that shows the sign-board and valid certificates and no contacts
or person's name."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from sanpin.accounts.choices import AgencyLevel, Role
from sanpin.accounts.tests.factories import AgencyFactory, UserFactory
from sanpin.bases import services
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.tests.factories import issue

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def xn_county(regions):
    xn = AgencyFactory(name="南宁市兴宁区农业农村局", level=AgencyLevel.COUNTY, region=regions["450102"])
    return UserFactory(username="xn_county", roles=[Role.LOCAL_STAFF], agency=xn)


def make_base(actor, entity, county, name, *, listed=True, **extra):
    values = {"base_type": "GF", "level": "district", "products": "沙田柚", "varieties": "沙田柚",
              "area_mu": "5200", "output_tons": "8000", "location": "五塘镇", "coverage": "五塘镇 3 个行政村",
              "techniques": "绿色防控、测土配方施肥", "responsible_person": "黄建国", **extra}
    base = services.base_create(actor=actor, name=name, operator=entity, county=county, **values)
    if listed:
        with transaction.atomic():
            base = services.base_list(actor=actor, base=base, reference="JD2025-TEST")
    return base


@pytest.fixture
def directory(users, xn_county, gx_entity, sh_entity, regions):
    """Two listed bases (Guangxi, Shanghai), one still building, one listed then removed."""
    sh_staff = users["sh_province"]
    return {
        "gx": make_base(xn_county, gx_entity, regions["450102"], "兴宁区沙田柚基地"),
        "sh": make_base(sh_staff, sh_entity, regions["310101"], "黄浦区有机蔬菜基地", base_type="OR",
                        level="provincial", products="有机蔬菜", varieties="青菜"),
        "building": make_base(xn_county, gx_entity, regions["450102"], "兴宁区在建香蕉基地", listed=False,
                              products="香蕉"),
        "removed": services.base_remove(
            actor=xn_county, base=make_base(xn_county, gx_entity, regions["450102"], "兴宁区已移出茶叶基地",
                                            products="茶叶"),
            cause="incident", reason="抽检不合格"),
    }


def test_the_public_list_shows_only_listed_bases(client, directory):
    page = client.get(reverse("portal:bases")).content.decode()
    assert "兴宁区沙田柚基地" in page and "黄浦区有机蔬菜基地" in page
    assert "兴宁区在建香蕉基地" not in page and "兴宁区已移出茶叶基地" not in page
    assert directory["gx"].directory_number in page
    assert "共 2 个基地" in page


def test_the_public_search_filters_by_keyword_type_level_and_region(client, directory):
    def names(**params):
        rows = client.get(reverse("portal:bases"), params).context["page_obj"].rows
        return [r.name for r in rows]

    assert names(q="有机蔬菜") == ["黄浦区有机蔬菜基地"]
    assert names(q="广西绿源") == ["兴宁区沙田柚基地"]  # the operator's name
    assert names(q=directory["sh"].directory_number) == ["黄浦区有机蔬菜基地"]
    assert names(base_type="OR") == ["黄浦区有机蔬菜基地"]
    assert names(level="district") == ["兴宁区沙田柚基地"]
    assert names(region="450100") == ["兴宁区沙田柚基地"]
    assert names(region="310000") == ["黄浦区有机蔬菜基地"]
    assert names(q="茶叶") == []  # removed bases are not found either


def test_the_public_page_shows_the_sign_board_and_valid_certificates_only(client, directory, gx_entity, xn_county):
    base = directory["gx"]
    valid = issue(gx_entity, approved_on=TODAY - datetime.timedelta(days=30))
    lapsed = issue(gx_entity, approved_on=datetime.date(2019, 1, 10), product_name="旧肥料")
    services.base_update(actor=xn_county, base=base, certificates=[valid, lapsed], **{
        "name": base.name, "base_type": "GF", "level": "district", "operator": gx_entity, "county": "450102",
        "products": "沙田柚", "varieties": "沙田柚", "area_mu": "5200", "output_tons": "8000", "location": "五塘镇",
        "coverage": "五塘镇 3 个行政村", "techniques": "绿色防控、测土配方施肥", "responsible_person": "黄建国"})
    response = client.get(reverse("portal:base_detail", args=[base.directory_number]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "基地标识牌" in page and "绿色防控、测土配方施肥" in page and "五塘镇 3 个行政村" in page
    assert "面积 5200 亩，年产量 8000 吨" in page and gx_entity.name in page
    assert valid.number in page and lapsed.number not in page
    # No contacts and no person's name: only the responsible entity
    for private in ("黄建国", gx_entity.contact_phone, gx_entity.contact_name, gx_entity.legal_representative):
        assert private not in page


def test_building_and_removed_bases_are_not_public(client, directory):
    removed = directory["removed"]
    assert removed.directory_number  # it had one while listed
    assert client.get(reverse("portal:base_detail", args=[removed.directory_number])).status_code == 404
    assert client.get(reverse("portal:base_detail", args=["JD45202599999"])).status_code == 404
    assert client.get(f"/api/v1/public/bases/{removed.directory_number}/").status_code == 404


def test_a_removed_base_leaves_the_public_directory(client, directory, xn_county):
    base = directory["gx"]
    assert client.get(reverse("portal:base_detail", args=[base.directory_number])).status_code == 200
    services.base_remove(actor=xn_county, base=base, cause="violation", reason="违规使用禁用农药")
    assert client.get(reverse("portal:base_detail", args=[base.directory_number])).status_code == 404
    assert "兴宁区沙田柚基地" not in client.get(reverse("portal:bases")).content.decode()


def test_the_public_api_lists_and_shows_listed_bases(api, directory, gx_entity):
    rows = api.get("/api/v1/public/bases/").json()
    assert rows["count"] == 2
    assert {r["name"] for r in rows["results"]} == {"兴宁区沙田柚基地", "黄浦区有机蔬菜基地"}
    assert "responsible_person" not in rows["results"][0]
    only = api.get("/api/v1/public/bases/", {"region": "450000", "q": "沙田柚"}).json()["results"]
    assert [r["directory_number"] for r in only] == [directory["gx"].directory_number]
    bad = api.get("/api/v1/public/bases/", {"base_type": "XX"})
    assert bad.status_code == 400 and "base_type" in bad.json()["fields"]

    detail = api.get(f"/api/v1/public/bases/{directory['sh'].directory_number}/")
    assert detail.status_code == 200
    data = detail.json()
    assert data["base_type_label"] == "有机农产品基地" and data["responsible_entity"] == "上海申绿食品有限公司"
    assert data["techniques"] == "绿色防控、测土配方施肥" and data["certificates"] == []
    assert "黄建国" not in detail.content.decode()


def test_the_directory_paginates(client, xn_county, regions):
    for n in range(23):
        make_base(xn_county, EntityFactory(region=regions["450102"]), regions["450102"], f"基地{n:02d}")
    first = client.get(reverse("portal:bases"))
    assert len(first.context["page_obj"].rows) == 20 and "第 1 / 2 页" in first.content.decode()
    assert len(client.get(reverse("portal:bases"), {"page": 2}).context["page_obj"].rows) == 3


def test_the_home_page_links_the_directory(client):
    assert reverse("portal:bases") in client.get(reverse("portal:home")).content.decode()
