"""Public credit information: the A list (grade A and a valid certificate) and decided revocations,
without signing in, with public fields only."""

from datetime import date
from decimal import Decimal

import pytest

from sanpin.accounts.models import system_user
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.services import certificate_issue
from sanpin.credit.models import CreditStanding
from sanpin.supervision import services as supervision

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 2)


def _issue(holder, regions, scheme="green_food", product="绿源香米"):
    return certificate_issue(
        actor=system_user(), scheme=scheme, holder=holder, product_name=product, category="01", trademark="绿源",
        approved_output=Decimal("5000"), output_unit="吨", approved_on=date(2025, 1, 6), valid_from=date(2025, 1, 6),
        valid_until=date(2028, 1, 5), province=regions["450000"])


def _grade(entity, grade):
    CreditStanding.objects.create(entity=entity, grade=grade, score={"A": 95, "B": 80}.get(grade, 50),
                                  rulebook_version=1, computed_on=DAY)


@pytest.fixture
def world(users, regions, gx_entity, on_day):
    on_day(DAY)
    a_holder = EntityFactory(name="守信香米有限公司", region=regions["450102"])
    _issue(a_holder, regions)
    _grade(a_holder, "A")
    a_without = EntityFactory(name="无证优等公司", region=regions["450102"])
    _grade(a_without, "A")
    b_holder = EntityFactory(name="普通茶业有限公司", region=regions["450102"])
    _issue(b_holder, regions, product="绿茶")
    _grade(b_holder, "B")
    revoked = _issue(gx_entity, regions, product="镉超标大米")
    request = supervision.revocation_request_open(actor=users["gx_province"], certificate=revoked,
                                                  causes=["product_failed"], detail="内部核查记录：张三举报")
    supervision.revocation_decide(actor=users["national"], request=request, revoke=True, note="内部决定意见")
    pending = _issue(b_holder, regions, product="待定茶叶")
    supervision.revocation_request_open(actor=users["gx_province"], certificate=pending, causes=["product_failed"],
                                        detail="待决定")
    return {"a_holder": a_holder, "revoked": revoked}


def test_the_a_list_shows_grade_a_holders_of_a_valid_certificate_without_sign_in(client, world):
    response = client.get("/credit-info/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "守信香米有限公司" in page and world["a_holder"].uscc in page and "绿色食品" in page
    assert "无证优等公司" not in page and "普通茶业有限公司" not in page
    assert "守信香米有限公司" not in client.get("/credit-info/?q=普通").content.decode()
    assert "守信香米有限公司" not in client.get("/credit-info/?region=310000").content.decode()


def test_revocations_list_decided_ones_with_public_fields_only(client, world):
    page = client.get("/credit-info/?tab=revocations").content.decode()
    assert "镉超标大米" in page and world["revoked"].number in page and "2025-06-02" in page
    assert "产品质量不符合绿色食品产品质量标准" in page  # the published cause
    assert "待定茶叶" not in page  # pending
    assert "内部决定意见" not in page and "张三" not in page  # notes stay internal


def test_the_public_pages_link_to_credit_information(client, world):
    assert "/credit-info/" in client.get("/").content.decode()


def test_the_public_api_gives_the_same_lists(api, world):
    holders = api.get("/api/v1/public/credit/")
    assert holders.status_code == 200
    assert [row["name"] for row in holders.json()["results"]] == ["守信香米有限公司"]
    assert holders.json()["results"][0]["schemes"] == ["绿色食品"]
    revoked = api.get("/api/v1/public/credit/revocations/").json()["results"]
    assert [row["product_name"] for row in revoked] == ["镉超标大米"]
    assert "detail" not in revoked[0] and "decision_note" not in revoked[0]
