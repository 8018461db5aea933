"""Market pages through HTTP: the contact rule on the page, hidden listings, inquiry scope, the
UI's refusals that write nothing, buyer sign-up and staff take-down."""

import pytest
from django.urls import reverse

from sanpin.accounts.models import User
from sanpin.catalog.tests.factories import valid_uscc
from sanpin.certificates import services as certificates
from sanpin.market import services
from sanpin.market.models import BuyerProfile, Inquiry, SupplyListing

HINT = "登录采购商账号后可查看联系方式"
PHONE = "13800001111"  # the gx listing's contact phone (factories.listing)


@pytest.mark.parametrize(("who", "sees"), [
    (None, False), ("bare", False), ("sh_applicant", False), ("buyer", True), ("gx_applicant", True),
    ("nn_city", True), ("sh_province", False),
])
def test_the_listing_page_shows_contacts_only_under_the_rule(client, market, who, sees):
    if who:
        client.force_login(User.objects.get(username=who))
    detail = client.get(reverse("market:listing_detail", args=[market["gx_listing"].pk])).content.decode()
    assert "绿源牌生物有机肥" in detail
    assert (PHONE in detail) is sees
    assert (HINT in detail) is not sees
    index = client.get(reverse("market:index"), {"region": "450000"}).content.decode()
    assert "绿源牌生物有机肥" in index
    assert (PHONE in index) is sees


def test_the_inquiry_form_is_offered_to_registered_buyers_only(client, market):
    url = reverse("market:listing_detail", args=[market["gx_listing"].pk])
    client.force_login(market["bare_purchaser"])
    page = client.get(url).content.decode()
    assert 'data-testid="inquiry-form"' not in page and "填写采购商信息" in page
    client.force_login(market["buyer"])
    assert 'data-testid="inquiry-form"' in client.get(url).content.decode()


def test_revoking_hides_the_listing_from_search_and_page_and_refuses_the_inquiry(client, market):
    certificates.certificate_set_status(actor=market["users"]["national"], certificate=market["gx_certificate"],
                                        status="revoked", reason="[004 §26]")
    index = client.get(reverse("market:index"), {"q": "绿源"}).content.decode()
    assert "绿源牌生物有机肥" not in index
    assert client.get(reverse("market:listing_detail", args=[market["gx_listing"].pk])).status_code == 404

    client.force_login(market["buyer"])
    response = client.post(reverse("market:inquire", args=[market["gx_listing"].pk]),
                           {"quantity": "5", "message": "询价"}, follow=True)
    assert "不能询价" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_buyer_inquires_and_holder_answers_through_the_pages(client, market):
    client.force_login(market["buyer"])
    response = client.post(reverse("market:inquire", args=[market["gx_listing"].pk]),
                           {"quantity": "20", "message": "请报 40kg 袋装出厂价"})
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("market:inquiry_detail", args=[inquiry.pk])

    client.force_login(market["users"]["gx_applicant"])
    assert "待答复" in client.get(reverse("market:inbox")).content.decode()
    client.post(reverse("market:inquiry_detail", args=[inquiry.pk]), {"reply": "出厂价 2600 元/吨"})

    client.force_login(market["buyer"])
    page = client.get(reverse("market:inquiry_detail", args=[inquiry.pk])).content.decode()
    assert "出厂价 2600 元/吨" in page and "已答复" in page


def test_holder_b_cannot_see_holder_as_inbox_or_inquiry(client, market):
    inquiry = services.inquiry_send(actor=market["buyer"], listing=market["gx_listing"].pk, message="询价甲",
                                    quantity="5")
    client.force_login(market["users"]["sh_applicant"])
    assert "南宁邕江农副产品批发市场" not in client.get(reverse("market:inbox")).content.decode()
    assert client.get(reverse("market:inquiry_detail", args=[inquiry.pk])).status_code == 404
    assert client.post(reverse("market:inquiry_detail", args=[inquiry.pk]), {"reply": "x"}).status_code == 404
    assert client.get(reverse("market:listing_edit", args=[market["gx_listing"].pk])).status_code == 404

    client.force_login(market["users"]["gx_applicant"])
    assert "南宁邕江农副产品批发市场" in client.get(reverse("market:inbox")).content.decode()


def test_the_listing_form_refuses_another_organisations_certificate(client, market):
    client.force_login(market["users"]["gx_applicant"])
    count = SupplyListing.objects.count()
    response = client.post(reverse("market:listing_create"), {
        "certificate": str(market["sh_certificate"].pk), "product_field": "inputs", "supply_from_month": "1",
        "supply_to_month": "12", "quantity": "10", "unit": "吨", "region": "450102", "contact_name": "覃经理",
        "contact_phone": "13800001111"})
    assert response.status_code == 400
    assert "未找到本单位的该证书" in response.content.decode()
    assert SupplyListing.objects.count() == count


def test_the_listing_form_offers_only_the_holders_valid_certificates(client, market):
    client.force_login(market["users"]["gx_applicant"])
    page = client.get(reverse("market:listing_create")).content.decode()
    assert market["gx_certificate"].number in page and market["sh_certificate"].number not in page


def test_buyer_signup_page_creates_a_signed_in_registered_buyer(client, regions):
    response = client.post(reverse("market:buyer_signup"), {
        "username": "gx_canteen", "password1": "Shitang-Nanning-2026", "password2": "Shitang-Nanning-2026",
        "display_name": "黄师傅", "phone": "13712340000", "name": "南宁某某学校食堂", "uscc": valid_uscc("450103"),
        "region": "450103", "address": "青秀区某路 1 号", "legal_representative": "黄校长",
        "contact_name": "黄师傅", "contact_phone": "13712340000", "buyer_type": "catering",
        "product_fields": ["vegetable", "grain_oil"], "regions": ["450100"], "listed": "on"})
    assert response.status_code == 302
    user = User.objects.get(username="gx_canteen")
    assert services.is_registered_buyer(user)
    assert client.get(reverse("market:buyer_profile")).status_code == 200


def test_buyer_signup_page_shows_errors_and_writes_nothing(client, regions):
    response = client.post(reverse("market:buyer_signup"), {"username": "x y", "product_fields": []})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请至少选择一个采购产品领域" in page and "请选择采购商类型" in page
    assert not User.objects.filter(username="x y").exists() and not BuyerProfile.objects.exists()


def test_staff_take_down_from_their_page(client, market):
    client.force_login(market["users"]["sh_province"])
    assert "绿源牌生物有机肥" not in client.get(reverse("market:staff_listings")).content.decode()
    client.post(reverse("market:listing_take_down", args=[market["gx_listing"].pk]), {"reason": "x"})
    assert SupplyListing.objects.get(pk=market["gx_listing"].pk).status == "active"

    client.force_login(market["users"]["gx_province"])
    assert "绿源牌生物有机肥" in client.get(reverse("market:staff_listings")).content.decode()
    client.post(reverse("market:listing_take_down", args=[market["gx_listing"].pk]), {"reason": "虚假宣传"})
    assert SupplyListing.objects.get(pk=market["gx_listing"].pk).status == "taken_down"


def test_the_dealer_directory_hides_contacts_from_the_public(client, market):
    page = client.get(reverse("market:dealers")).content.decode()
    assert "南宁邕江农副产品批发市场有限公司" in page and "13900000001" not in page
    client.force_login(market["users"]["gx_applicant"])
    assert "13900000001" in client.get(reverse("market:dealers")).content.decode()
