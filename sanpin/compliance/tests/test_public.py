"""The public scan: the page /c/<code>/?s= and GET /api/v1/public/compliance/{code}/."""

import datetime
from decimal import Decimal

import pytest

from sanpin.accounts.choices import Role
from sanpin.accounts.models import system_user
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.services import certificate_issue, certificate_set_status
from sanpin.compliance import codes, issuing, scans, selectors
from sanpin.compliance.models import ComplianceCertificate, SourceLink

pytestmark = pytest.mark.django_db


def issue_one(actor, **extra):
    values = {"product_name": "西红柿", "category": "vegetable", "quantity": "100", "unit": "公斤", **extra}
    return issuing.compliance_issue_one(actor=actor, **values)


def api_url(code, signature=""):
    return f"/api/v1/public/compliance/{code}/" + (f"?s={signature}" if signature else "")


def test_a_signed_code_shows_the_certificate_prominently(client, api, users, gx_entity):
    certificate = issue_one(users["gx_applicant"], origin="广西南宁市兴宁区五塘镇")

    page = client.get(codes.scan_path(certificate.code))

    html = page.content.decode()
    assert page.status_code == 200
    assert "承诺达标合格证" in html and "compliance-title" in html
    for text in (gx_entity.name, "西红柿", "100 公斤", "广西南宁市兴宁区五塘镇", "不使用禁用农药兽药",
                 "质量安全控制符合要求", "二维码签名已验证"):
        assert text in html, text
    body = api.get(api_url(certificate.code, codes.sign(certificate.code))).json()
    assert body["result"] == "valid" and body["signature"] == "valid"
    assert body["certificate"]["producer"] == gx_entity.name
    assert body["certificate"]["title"] == "承诺达标合格证"
    assert body["producers"] == [gx_entity.name]


def test_an_altered_code_or_a_foreign_signature_is_forged(client, api, users):
    certificate = issue_one(users["gx_applicant"])
    code = certificate.code
    altered = code[:12] + str((int(code[12]) + 1) % 10) + code[13:]
    assert not codes.well_formed(altered)

    assert api.get(api_url(altered)).json()["result"] == "forged"
    assert "疑似伪造" in client.get(f"/c/{altered}/").content.decode()
    # A signature of another code, or a certificate-number signature over the same text, is not this code's.
    other = issue_one(users["gx_applicant"], product_name="黄瓜")
    assert api.get(api_url(code, codes.sign(other.code))).json()["result"] == "forged"
    from sanpin.certificates import signing

    assert api.get(api_url(code, signing.sign(code))).json()["result"] == "forged"
    assert "疑似伪造" in client.get(f"/c/{code}/?s={signing.sign(code)}").content.decode()
    # A well-formed code that was never issued is not found.
    body = codes.month_prefix(certificate.issued_at) + "450102" + "000000001"
    assert api.get(api_url(body + codes.check_digit(body))).json()["result"] == "not_found"


def test_a_revoked_green_food_licence_shows_its_warning(client, api, users, regions, gx_entity):
    licence = certificate_issue(
        actor=system_user(), scheme="green_food", holder=gx_entity, product_name="绿源牌大米", category="01",
        trademark="绿源", approved_output=Decimal("5000"), output_unit="吨", approved_on=datetime.date(2025, 1, 6),
        valid_from=datetime.date(2025, 1, 6), valid_until=datetime.date(2028, 1, 5), province=regions["450000"])
    certificate = issue_one(users["gx_applicant"], product_name="大米", category="other", mark_number=licence.number)
    ok = api.get(api_url(certificate.code)).json()
    assert ok["marks"][0]["status"] == "valid" and ok["marks"][0]["warning"] == ""

    certificate_set_status(actor=users["national"], certificate=licence, status="revoked", reason="抽检不合格")

    body = api.get(api_url(certificate.code)).json()
    assert body["marks"][0]["number"] == licence.number and body["marks"][0]["status"] == "revoked"
    assert "已被取消" in body["marks"][0]["warning"]
    html = client.get(f"/c/{certificate.code}/").content.decode()
    assert licence.number in html and "已被取消" in html and "alert-danger" in html


def _link(certificate, source, receiver, quantity):
    SourceLink.objects.create(certificate_id=certificate.pk, certificate_issued_at=certificate.issued_at,
                              source_id=source.pk, source_issued_at=source.issued_at, receiver=receiver,
                              quantity=Decimal(quantity))


def _reissued(actor, **extra):
    certificate = issue_one(actor, **extra)
    ComplianceCertificate.objects.filter(pk=certificate.pk).update(is_reissue=True)
    certificate.is_reissue = True
    return certificate


def test_a_chain_three_levels_deep_shows_every_producer(client, api, users, regions, gx_entity):
    farms = [EntityFactory(name=name, region=regions["450102"])
             for name in ("青秀蔬菜合作社", "武鸣番茄农场", "宾阳果蔬基地")]
    growers = [UserFactory(username=f"farm{i}", roles=[Role.APPLICANT], entity=farm) for i, farm in enumerate(farms)]
    market = EntityFactory(name="南宁海吉星批发市场", kind="purchaser", region=regions["450102"])
    shop = EntityFactory(name="南宁生鲜配送中心", kind="purchaser", region=regions["450102"])
    market_user = UserFactory(username="market", roles=[Role.PURCHASER], entity=market)
    shop_user = UserFactory(username="shop", roles=[Role.PURCHASER], entity=shop)
    a, b, c = (issue_one(grower, quantity="500") for grower in growers)
    mixed = _reissued(market_user, quantity="600")  # level 2: market mixes a and b
    _link(mixed, a, market, "300")
    _link(mixed, b, market, "300")
    repacked = _reissued(shop_user, quantity="200")  # level 1: the shop repacks the market's lot with c
    _link(repacked, mixed, shop, "150")
    _link(repacked, c, shop, "50")

    graph = selectors.chain(repacked)
    assert {n.issuer.name for n in graph.producers} == {f.name for f in farms}
    assert max(graph.depth.values()) == 2 and len(graph.edges) == 4

    body = api.get(api_url(repacked.code)).json()
    assert set(body["producers"]) == {f.name for f in farms}
    assert {node["code"] for node in body["chain"][:2]} == {mixed.code, c.code}  # nearest first
    assert {node["depth"] for node in body["chain"][2:]} == {2}
    html = client.get(f"/c/{repacked.code}/").content.decode()
    for name in (*(f.name for f in farms), market.name):
        assert name in html


def test_the_chain_walk_is_bounded(users):
    root = _reissued(users["gx_applicant"])
    node = root
    for _ in range(5):
        source = _reissued(users["gx_applicant"])
        _link(node, source, users["gx_applicant"].entity, "1")
        node = source
    graph = selectors.chain(root, max_depth=3)
    assert graph.truncated and max(graph.depth.values()) == 3


def test_scans_are_counted_and_far_apart_scans_flag_a_copy(client, users):
    certificate = issue_one(users["gx_applicant"])
    client.get(f"/c/{certificate.code}/?loc=22.82,108.32")  # Nanning
    certificate.refresh_from_db()
    assert certificate.scan_count == 1 and certificate.flagged == ""

    client.get(f"/c/{certificate.code}/?loc=39.90,116.40")  # Beijing, minutes later

    certificate.refresh_from_db()
    assert certificate.scan_count == 2
    assert "公里" in certificate.flagged
    assert "疑似被复制" in client.get(f"/c/{certificate.code}/").content.decode()


def test_far_more_scans_than_the_quantity_allows_flag_a_copy(users):
    certificate = issue_one(users["gx_applicant"], quantity="2", unit="箱")
    allowed = scans.allowed_scans(certificate.quantity, certificate.unit)
    ComplianceCertificate.objects.filter(pk=certificate.pk).update(scan_count=allowed)
    certificate.refresh_from_db()

    reason = scans.record_scan(certificate)

    assert "远超数量" in reason
    certificate.refresh_from_db()
    assert certificate.flagged == reason and certificate.scan_count == allowed + 1
