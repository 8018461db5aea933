"""The market API: the contact rule per caller, hidden listings of revoked certificates, structured
errors that write nothing, and each side's own inquiries."""

import pytest

from sanpin.accounts.models import User
from sanpin.certificates import services as certificates
from sanpin.market.models import Inquiry, SupplyListing

CONTACT_FIELDS = {"contact_name", "contact_phone", "holder_contact_name", "holder_contact_phone", "holder_address"}


def _as(api, user):
    api.force_authenticate(user)
    return api


def _public_rows(api):
    response = api.get("/api/v1/public/listings/")
    assert response.status_code == 200
    return {row["id"]: row for row in response.json()["results"]}


@pytest.mark.parametrize(("who", "sees_gx", "sees_sh"), [
    (None, False, False),             # anonymous
    ("bare", False, False),           # a purchaser that has not filled its buyer profile
    ("expert", False, False),         # another signed-in user
    ("buyer", True, True),            # a registered buyer
    ("gx_applicant", True, False),    # the holder: its own listing only
    ("gx_province", True, False),     # staff: listings of holders in their region
    ("national", True, True),
])
def test_the_contact_rule_applies_to_whoever_calls(api, market, who, sees_gx, sees_sh):
    if who:
        _as(api, User.objects.get(username=who))
    rows = _public_rows(api)
    gx, sh = rows[market["gx_listing"].pk], rows[market["sh_listing"].pk]
    for row, sees in ((gx, sees_gx), (sh, sees_sh)):
        if sees:
            assert set(row) >= CONTACT_FIELDS and "contact_hint" not in row
        else:
            assert not CONTACT_FIELDS & set(row)
            assert row["contact_hint"] == "登录采购商账号后可查看联系方式"
    detail = api.get(f"/api/v1/public/listings/{market['gx_listing'].pk}/").json()
    assert ("contact_phone" in detail) is sees_gx
    assert detail["mark"] == "绿色生资标志" and detail["certificate_number"] == market["gx_certificate"].number


def test_a_revoked_certificates_listing_leaves_the_api_and_takes_no_inquiry(api, market):
    certificates.certificate_set_status(actor=market["users"]["national"], certificate=market["gx_certificate"],
                                        status="revoked", reason="[004 §26]")
    assert market["gx_listing"].pk not in _public_rows(api)
    assert api.get(f"/api/v1/public/listings/{market['gx_listing'].pk}/").status_code == 404

    response = _as(api, market["buyer"]).post("/api/v1/inquiries/", {
        "listing": market["gx_listing"].pk, "message": "询价", "quantity": "5"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "listing_unavailable"
    assert not Inquiry.objects.exists()

    # The holder still sees it among its own, marked as not shown
    own = _as(api, market["users"]["gx_applicant"]).get("/api/v1/listings/").json()["results"]
    assert [(row["id"], row["visible"]) for row in own] == [(market["gx_listing"].pk, False)]


def test_publishing_through_the_api_and_bad_input(api, market):
    client = _as(api, market["users"]["gx_applicant"])
    count = SupplyListing.objects.count()
    bad = client.post("/api/v1/listings/", {"certificate": market["sh_certificate"].number, "quantity": "x"},
                      format="json")
    assert bad.status_code == 400
    body = bad.json()
    assert set(body) == {"code", "message", "fields"}
    assert {"certificate", "quantity", "product_field", "unit", "supply_from_month"} <= set(body["fields"])
    assert SupplyListing.objects.count() == count

    good = client.post("/api/v1/listings/", {
        "certificate": market["gx_certificate"].number, "product_field": "inputs", "supply_from_month": 1,
        "supply_to_month": 12, "quantity": "60", "unit": "吨", "contact_name": "覃经理",
        "contact_phone": "0771-6210318"}, format="json")
    assert good.status_code == 201, good.json()
    made = good.json()
    assert made["season"] == "全年" and made["visible"] is True and made["region"]["code"] == "450102"

    withdrawn = client.post(f"/api/v1/listings/{good.json()['id']}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = client.post(f"/api/v1/listings/{good.json()['id']}/withdraw/")
    assert again.status_code == 409


def test_holder_b_cannot_reach_holder_as_listing_or_inquiries(api, market):
    inquiry = _as(api, market["buyer"]).post("/api/v1/inquiries/", {
        "listing": market["gx_listing"].pk, "message": "请报价", "quantity": "12.5"}, format="json")
    assert inquiry.status_code == 201
    pk = inquiry.json()["id"]

    other = _as(api, market["users"]["sh_applicant"])
    assert other.get("/api/v1/inquiries/").json()["results"] == []
    assert other.post(f"/api/v1/inquiries/{pk}/reply/", {"reply": "x"}, format="json").status_code == 404
    assert other.post(f"/api/v1/listings/{market['gx_listing'].pk}/withdraw/").status_code == 404

    holder = _as(api, market["users"]["gx_applicant"])
    assert [row["id"] for row in holder.get("/api/v1/inquiries/").json()["results"]] == [pk]
    replied = holder.post(f"/api/v1/inquiries/{pk}/reply/", {"reply": "可供，2600 元/吨"}, format="json")
    assert replied.status_code == 200 and replied.json()["status"] == "answered"

    seen = _as(api, market["buyer"]).get("/api/v1/inquiries/").json()["results"]
    assert seen[0]["reply"] == "可供，2600 元/吨"


def test_roles_without_access_are_refused(api, market):
    client = _as(api, User.objects.get(username="expert"))
    assert client.get("/api/v1/listings/").status_code == 403
    assert client.get("/api/v1/inquiries/").status_code == 403
    unprofiled = _as(api, market["bare_purchaser"]).post("/api/v1/inquiries/", {
        "listing": market["gx_listing"].pk, "message": "询价", "quantity": "5"}, format="json")
    assert unprofiled.status_code == 403 and unprofiled.json()["code"] == "buyer_profile_required"


@pytest.mark.parametrize(("who", "sees"), [(None, False), ("bare", False), ("gx_applicant", True),
                                           ("gx_province", True)])
def test_dealer_contacts_only_for_certified_holders_and_staff(api, market, who, sees):
    if who:
        _as(api, User.objects.get(username=who))
    rows = api.get("/api/v1/public/dealers/").json()["results"]
    assert [row["name"] for row in rows] == ["南宁邕江农副产品批发市场有限公司"]
    assert ("contact_phone" in rows[0]) is sees
    assert rows[0]["buyer_type_label"] == "商超"
