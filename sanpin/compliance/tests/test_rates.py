"""The issuing rate (应开尽开) against a hand-computed fixture; scope of the page and the API; the
receive, re-issue and violation endpoints and pages through HTTP (decision 0028)."""

import datetime

import pytest
from django.utils import timezone

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.compliance import codes, rates
from sanpin.compliance.models import Receipt, SourceLink, Violation

from .test_receiving import DAY, make_certificate

MARCH = timezone.make_aware(datetime.datetime(2026, 3, 5, 9, 0))
FEBRUARY = timezone.make_aware(datetime.datetime(2026, 2, 5, 9, 0))


@pytest.fixture(autouse=True)
def _day(on_day, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    on_day(DAY)


@pytest.fixture
def world(users, regions, gx_entity, sh_entity):
    """Covered producers and who issued (by hand):

    兴宁区 450102: gx_entity (enterprise, issued in March), coop (issued in February only),
                   farm (family farm, never), an association (not covered), an inactive enterprise
                   (not covered).
    青秀区 450103: market (purchaser: not covered; its re-issue does not count), farm2 (issued March).
    隆林 451031: one cooperative, never issued.
    上海 黄浦 310101: sh_entity (issued March).

    March 2026: 南宁市 covered 4 (gx, coop, farm, farm2), issuing 2 → 50.0%; 百色市 1, 0 → 0.0%.
    Year 2026: 南宁市 issuing 3 (coop's February counts) → 75.0%.
    """
    r = regions
    coop = EntityFactory(name="兴宁蔬菜合作社", kind=EntityKind.COOPERATIVE, region=r["450102"])
    farm = EntityFactory(name="兴宁家庭农场", kind=EntityKind.FAMILY_FARM, region=r["450102"])
    EntityFactory(name="兴宁协会", kind=EntityKind.ASSOCIATION, region=r["450102"])
    EntityFactory(name="停业企业", kind=EntityKind.ENTERPRISE, region=r["450102"], is_active=False)
    market = EntityFactory(name="青秀市场", kind=EntityKind.PURCHASER, region=r["450103"])
    farm2 = EntityFactory(name="青秀家庭农场", kind=EntityKind.FAMILY_FARM, region=r["450103"])
    EntityFactory(name="隆林合作社", kind=EntityKind.COOPERATIVE, region=r["451031"])
    user = users["gx_applicant"]
    make_certificate(gx_entity, issued_at=MARCH, user=user)
    make_certificate(gx_entity, issued_at=MARCH, user=user)  # twice: still one producer
    make_certificate(coop, issued_at=FEBRUARY, user=user)
    make_certificate(farm2, issued_at=MARCH, user=user)
    make_certificate(market, issued_at=MARCH, user=user, is_reissue=True)
    make_certificate(sh_entity, issued_at=MARCH, user=users["sh_applicant"])
    return {"coop": coop, "farm": farm, "market": market, "farm2": farm2}


def _table(rows):
    return {r.region.code: (r.covered, r.issuing, r.percent) for r in rows}


def test_issuing_rate_matches_the_hand_computed_fixture(world, regions):
    from decimal import Decimal

    gx = regions["450000"]
    assert _table(rates.issuing_rates(year=2026, month=3, region=gx)) == {
        "450100": (4, 2, Decimal("50.0")), "451000": (1, 0, Decimal("0.0"))}
    assert _table(rates.issuing_rates(year=2026, region=gx))["450100"] == (4, 3, Decimal("75.0"))
    assert _table(rates.issuing_rates(year=2026, month=3, region=regions["450100"])) == {
        "450102": (3, 1, Decimal("33.3")), "450103": (1, 1, Decimal("100.0"))}
    # A county lists itself; its producers that issued nothing are named.
    assert _table(rates.issuing_rates(year=2026, month=3, region=regions["450102"])) == {
        "450102": (3, 1, Decimal("33.3"))}
    assert {e.name for e in rates.not_issuing(year=2026, month=3, region=regions["450102"])} == {
        "兴宁蔬菜合作社", "兴宁家庭农场"}
    country = _table(rates.issuing_rates(year=2026, month=3))
    assert country["450000"] == (5, 2, Decimal("40.0")) and country["310000"] == (1, 1, Decimal("100.0"))
    assert _table(rates.issuing_rates(year=2025, region=gx))["450100"] == (4, 0, Decimal("0.0"))


def test_issuing_rate_api_is_scoped(api, users, world):
    url = "/api/v1/stats/compliance-issuing-rates/"
    api.force_authenticate(users["nn_city"])
    body = api.get(url, {"year": 2026, "month": 3}).json()
    assert [(r["region"]["code"], r["covered"], r["issuing"], r["percent"]) for r in body] == [
        ("450102", 3, 1, "33.3"), ("450103", 1, 1, "100.0")]
    assert api.get(url, {"year": 2026, "region": "310000"}).status_code == 404  # outside Nanning
    assert api.get(url, {"year": 2026, "month": 13}).json()["fields"] == {"month": ["月份应为 1–12"]}
    api.force_authenticate(users["gx_applicant"])
    assert api.get(url, {"year": 2026}).status_code == 403
    api.force_authenticate(users["national"])
    assert {r["region"]["code"] for r in api.get(url, {"year": 2026}).json()} >= {"450000", "310000"}


def test_rates_page(client, users, world):
    client.force_login(users["gx_province"])
    page = client.get("/compliance/rates/", {"year": 2026, "month": 3})
    assert page.status_code == 200 and "50.0%" in page.content.decode()
    assert client.get("/compliance/rates/", {"year": 2026, "region": "310000"}).status_code == 404
    client.force_login(users["gx_applicant"])
    assert client.get("/compliance/rates/").status_code == 403


# --- the receive / re-issue / violation endpoints and pages -----------------------------------------


@pytest.fixture
def buyer(regions):
    market = EntityFactory(name="南宁五里亭蔬菜批发市场", kind=EntityKind.PURCHASER, region=regions["450103"])
    return UserFactory(username="buyer", roles=[Role.PURCHASER], entity=market)


def test_receive_endpoint_records_and_lists(api, users, buyer, gx_entity):
    cert = make_certificate(gx_entity, user=users["gx_applicant"])
    api.force_authenticate(buyer)
    url = f"/api/v1/compliance-certificates/{cert.code}/receive/"
    answer = api.post(url, {"place": "五里亭", "quantity": "40"}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["receipt"]["keep_until"] == "2026-09-10" and answer.json()["violation"] is None
    bad = api.post(url, {"place": "", "quantity": "-1"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["fields"]) >= {"place"}
    too_much = api.post(url, {"place": "五里亭", "quantity": "70"}, format="json")
    assert too_much.status_code == 400 and "本次最多 60公斤" in too_much.json()["fields"]["quantity"][0]
    # The scanned QR text, URL-encoded in the path, works as well.
    from urllib.parse import quote

    signed = quote(codes.scan_url(cert.code), safe="")
    assert api.post(f"/api/v1/compliance-certificates/{signed}/receive/", {"place": "五里亭", "quantity": "1"},
                    format="json").status_code in (201, 404)
    listed = api.get("/api/v1/compliance-receipts/").json()
    assert listed["results"][0]["code"] == cert.code and listed["count"] is None
    api.force_authenticate(users["gx_applicant"])
    assert api.post(url, {"place": "x"}, format="json").status_code == 403
    assert Receipt.objects.filter(receiver=buyer.entity).count() >= 1


def test_receive_endpoint_reports_a_mismatch(api, users, buyer, gx_entity):
    cert = make_certificate(gx_entity, user=users["gx_applicant"])
    api.force_authenticate(buyer)
    answer = api.post(f"/api/v1/compliance-certificates/{cert.code}/receive/",
                      {"place": "五里亭", "check_result": "mismatch", "note": "品种不符"}, format="json")
    assert answer.status_code == 201 and answer.json()["reported"] is True
    assert Violation.objects.get(pk=answer.json()["violation"]).entity == gx_entity
    api.force_authenticate(users["nn_city"])
    assert [v["kind"] for v in api.get("/api/v1/compliance-violations/").json()["results"]] == ["mismatch"]
    api.force_authenticate(users["sh_province"])
    assert api.get("/api/v1/compliance-violations/").json()["results"] == []


def test_violation_endpoint_records_in_scope_only(api, users, gx_entity, sh_entity):
    api.force_authenticate(users["gx_province"])
    body = {"entity": gx_entity.pk, "kind": "not_issued", "occurred_on": "2026-03-09", "detail": "巡查未开证"}
    assert api.post("/api/v1/compliance-violations/", body, format="json").status_code == 201
    other = api.post("/api/v1/compliance-violations/", {**body, "entity": sh_entity.pk}, format="json")
    assert other.status_code == 400 and "entity" in other.json()["fields"]
    api.force_authenticate(users["gx_applicant"])
    assert api.post("/api/v1/compliance-violations/", body, format="json").status_code == 403
    assert len(api.get("/api/v1/compliance-violations/").json()["results"]) == 1  # its own


def test_receive_and_reissue_pages(client, users, buyer, gx_entity):
    cert = make_certificate(gx_entity, user=users["gx_applicant"])
    client.force_login(buyer)
    assert client.get("/compliance/receive/", {"code": cert.code}).status_code == 200
    answer = client.post("/compliance/receive/", {"code": cert.code, "place": "五里亭", "check_result": "conforming"})
    assert answer.status_code == 302
    page = client.get("/compliance/receipts/").content.decode()
    assert cert.code in page
    assert client.post("/compliance/receive/", {"code": "", "place": ""}).status_code == 400
    form = client.get("/compliance/reissue/")
    assert form.status_code == 200 and cert.code in form.content.decode()  # offered as a source
    data = {"product_name": "分装小白菜", "category": "vegetable", "quantity": "120", "unit": "公斤", "origin": "南宁",
            "contact_phone": "13900000000", "basis": "quality_control", "source_code_0": cert.code,
            "source_quantity_0": "120"}
    refused = client.post("/compliance/reissue/", data)
    assert refused.status_code == 400 and "剩余可用数量 100公斤" in refused.content.decode()
    done = client.post("/compliance/reissue/", {**data, "quantity": "100", "source_quantity_0": "100"})
    assert done.status_code == 302
    assert SourceLink.objects.filter(source_id=cert.pk).count() == 1
    client.force_login(users["nn_city"])
    assert client.get("/compliance/violations/").status_code == 200
    assert client.get("/compliance/reissue/").status_code == 403
