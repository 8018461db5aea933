"""Market services: what a holder may publish, when a listing is shown, inquiries and answers,
take-downs, buyer sign-up. Every refusal writes nothing."""

import datetime

import pytest

from sanpin.accounts.choices import Role
from sanpin.accounts.models import User
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity
from sanpin.catalog.tests.factories import valid_uscc
from sanpin.certificates import services as certificates
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.market import selectors, services
from sanpin.market.choices import InquiryStatus, ListingStatus
from sanpin.market.models import BuyerProfile, Inquiry, SupplyListing
from sanpin.notifications.models import Notification

from .conftest import TODAY
from .factories import listing, purchaser


def _revoke(market, certificate):
    certificates.certificate_set_status(actor=market["users"]["national"], certificate=certificate,
                                        status="revoked", reason="抽检不合格，取消标志使用权 [004 §26]")


def _written():
    return SupplyListing.objects.count(), Inquiry.objects.count(), AuditEvent.objects.count()


# --- publishing ---------------------------------------------------------------------------------


def test_a_holder_publishes_its_valid_certificates_product(market):
    # Given the published listing of the fixture
    published = market["gx_listing"]

    # Then it carries the certificate's product and mark, the holder's county, and one audit event
    assert published.product_name == "绿源牌生物有机肥"
    assert published.mark == "绿色生资标志"
    assert published.region_id == "450102"
    assert published.season_text == "3月至10月"
    event = AuditEvent.objects.get(verb="market.listing.create", target_id=str(published.pk))
    assert event.new["certificate"] == market["gx_certificate"].number


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"product_name": "绿源牌复合肥"}, "product_name", "不是证书"),
    ({"product_field": ""}, "product_field", "请选择产品领域"),
    ({"quantity": ""}, "quantity", "请填写数量"),
    ({"quantity": "-3"}, "quantity", "数量应大于 0"),
    ({"unit": ""}, "unit", "请填写单位"),
    ({"supply_from_month": 13}, "supply_from_month", "1 至 12 月"),
    ({"contact_name": ""}, "contact_name", "请填写联系人"),
    ({"contact_phone": "12345"}, "contact_phone", "格式不正确"),
])
def test_bad_input_is_refused_and_nothing_is_written(market, change, field, message):
    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        listing(market["users"]["gx_applicant"], market["gx_certificate"], **change)
    assert message in caught.value.fields[field][0]
    assert _written() == before


def test_another_organisations_certificate_is_refused_without_naming_it(market):
    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        listing(market["users"]["gx_applicant"], market["sh_certificate"])
    assert "未找到本单位的该证书" in caught.value.fields["certificate"][0]
    assert market["sh_certificate"].product_name not in str(caught.value.fields)
    assert _written() == before


def test_an_expired_or_revoked_certificate_cannot_back_a_new_listing(market, on_day):
    applicant = market["users"]["gx_applicant"]
    # Given the day after the licence's term ended
    on_day(market["gx_certificate"].valid_until + datetime.timedelta(days=1))
    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        listing(applicant, market["gx_certificate"])
    assert "已过期" in caught.value.fields["certificate"][0]
    assert _written() == before

    # And on a day inside the term, once revoked
    on_day(TODAY)
    _revoke(market, market["gx_certificate"])
    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        listing(applicant, market["gx_certificate"])
    assert "已取消" in caught.value.fields["certificate"][0]
    assert _written() == before


def test_only_a_holders_user_may_publish(market):
    for username in ("buyer", "gx_province", "expert"):
        user = User.objects.get(username=username)
        with pytest.raises(PermissionDenied):
            listing(user, market["gx_certificate"])


# --- visibility ---------------------------------------------------------------------------------


def test_revoking_the_certificate_hides_the_listing_at_once(market):
    shown = SupplyListing.objects.visible(TODAY)
    assert set(shown) == {market["gx_listing"], market["sh_listing"]}

    _revoke(market, market["gx_certificate"])

    assert list(SupplyListing.objects.visible(TODAY)) == [market["sh_listing"]]
    assert list(selectors.search_listings(on=TODAY, q="绿源")) == []
    with pytest.raises(NotFound):
        selectors.public_listing(market["gx_listing"].pk, TODAY)


def test_a_suspended_certificate_hides_the_listing_and_reinstating_shows_it_again(market):
    national = market["users"]["national"]
    certificate = market["gx_certificate"]
    certificates.certificate_set_status(actor=national, certificate=certificate, status="suspended", reason="年检")
    assert market["gx_listing"] not in SupplyListing.objects.visible(TODAY)
    certificates.certificate_set_status(actor=national, certificate=certificate, status="valid", reason="整改完成")
    assert market["gx_listing"] in SupplyListing.objects.visible(TODAY)


def test_an_expired_certificate_hides_the_listing(market):
    last_day = market["gx_certificate"].valid_until
    assert market["gx_listing"] in SupplyListing.objects.visible(last_day)
    assert market["gx_listing"] not in SupplyListing.objects.visible(last_day + datetime.timedelta(days=1))


def test_search_filters_by_field_mark_region_and_month(market):
    gx, sh = market["gx_listing"], market["sh_listing"]
    assert list(selectors.search_listings(on=TODAY, region="450000")) == [gx]
    assert list(selectors.search_listings(on=TODAY, region="310000")) == [sh]
    assert list(selectors.search_listings(on=TODAY, scheme="green_food")) == []
    assert set(selectors.search_listings(on=TODAY, scheme="green_inputs", field="inputs")) == {gx, sh}
    assert set(selectors.search_listings(on=TODAY, month=5)) == {gx, sh}
    assert list(selectors.search_listings(on=TODAY, month=12)) == []


def test_a_supply_period_over_the_new_year_matches_its_winter_months(market):
    winter = listing(market["users"]["gx_applicant"], market["gx_certificate"], supply_from_month=11,
                     supply_to_month=2)
    assert winter.season_text == "11月至2月"
    assert winter in selectors.search_listings(on=TODAY, month=1)
    assert winter not in selectors.search_listings(on=TODAY, month=6)


# --- transitions --------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ListingStatus.values)
@pytest.mark.parametrize("target", ListingStatus.values)
def test_the_transition_table_is_the_only_way_to_move(market, source, target):
    """Walk every pair: allowed pairs succeed for the right actor, all others are refused."""
    item = market["gx_listing"]
    SupplyListing.objects.filter(pk=item.pk).update(status=source)
    holder, staff = market["users"]["gx_applicant"], market["users"]["gx_province"]
    moves = {
        ListingStatus.WITHDRAWN: lambda: services.listing_withdraw(actor=holder, listing=item.pk),
        ListingStatus.ACTIVE: lambda: services.listing_republish(actor=holder, listing=item.pk),
        ListingStatus.TAKEN_DOWN: lambda: services.listing_take_down(actor=staff, listing=item.pk, reason="虚假"),
    }
    if (source, target) in services.TRANSITIONS:
        assert moves[target]().status == target
    else:
        with pytest.raises(TransitionNotAllowed):
            moves[target]()
        assert SupplyListing.objects.get(pk=item.pk).status == source


def test_a_withdrawn_listing_of_a_revoked_certificate_cannot_be_republished(market):
    holder = market["users"]["gx_applicant"]
    services.listing_withdraw(actor=holder, listing=market["gx_listing"])
    _revoke(market, market["gx_certificate"])
    with pytest.raises(Conflict) as caught:
        services.listing_republish(actor=holder, listing=market["gx_listing"])
    assert caught.value.code == "certificate_not_valid"


def test_staff_take_down_in_scope_with_a_reason_and_the_holder_is_told(market, django_capture_on_commit_callbacks):
    item = market["gx_listing"]
    with pytest.raises(NotFound):
        services.listing_take_down(actor=market["users"]["sh_province"], listing=item, reason="虚假信息")
    with pytest.raises(ValidationFailed):
        services.listing_take_down(actor=market["users"]["gx_province"], listing=item, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_take_down(actor=market["users"]["nn_city"], listing=item, reason="夸大宣传，标志使用不规范")

    item.refresh_from_db()
    assert item.status == ListingStatus.TAKEN_DOWN and item.status_reason == "夸大宣传，标志使用不规范"
    assert Notification.objects.filter(recipient=market["users"]["gx_applicant"], title__contains="下架").exists()
    with pytest.raises(Conflict):
        services.listing_update(actor=market["users"]["gx_applicant"], listing=item, quantity="10")


def test_holder_b_cannot_change_holder_as_listing(market):
    with pytest.raises(NotFound):
        services.listing_withdraw(actor=market["users"]["sh_applicant"], listing=market["gx_listing"])
    with pytest.raises(NotFound):
        services.listing_update(actor=market["users"]["sh_applicant"], listing=market["gx_listing"], unit="箱")


def test_an_edit_writes_only_the_changed_fields(market):
    item = services.listing_update(actor=market["users"]["gx_applicant"], listing=market["gx_listing"],
                                   quantity="80", packaging="25kg/袋")
    assert item.quantity_text == "80"
    event = AuditEvent.objects.get(verb="market.listing.update")
    assert event.new == {"quantity": "80", "packaging": "25kg/袋"}


# --- inquiries ----------------------------------------------------------------------------------


def test_a_registered_buyer_asks_the_holder_answers_both_are_told(market, django_capture_on_commit_callbacks):
    buyer, holder = market["buyer"], market["users"]["gx_applicant"]
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = services.inquiry_send(actor=buyer, listing=market["gx_listing"].pk, message="请报 40kg 袋装价",
                                        quantity="30", wanted_by=TODAY + datetime.timedelta(days=20))
    assert inquiry.unit == "吨" and inquiry.status == InquiryStatus.OPEN
    assert Notification.objects.filter(recipient=holder, title__contains="收到询价").exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_reply(actor=holder, inquiry=inquiry.pk, reply="出厂价 2600 元/吨，可送货")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ANSWERED and inquiry.replied_by == holder
    assert Notification.objects.filter(recipient=buyer, title__contains="已答复").exists()
    with pytest.raises(Conflict):
        services.inquiry_reply(actor=holder, inquiry=inquiry.pk, reply="再次答复")


@pytest.mark.parametrize("gone", ["revoked", "withdrawn", "expired"])
def test_an_inquiry_to_a_listing_that_is_gone_is_refused(market, on_day, gone):
    item = market["gx_listing"]
    if gone == "revoked":
        _revoke(market, market["gx_certificate"])
    elif gone == "withdrawn":
        services.listing_withdraw(actor=market["users"]["gx_applicant"], listing=item)
    else:
        on_day(market["gx_certificate"].valid_until + datetime.timedelta(days=1))
    before = _written()
    with pytest.raises(Conflict) as caught:
        services.inquiry_send(actor=market["buyer"], listing=item.pk, message="询价", quantity="5")
    assert caught.value.code == "listing_unavailable"
    assert _written() == before


def test_a_purchaser_without_a_profile_is_not_yet_a_buyer(market):
    with pytest.raises(PermissionDenied) as caught:
        services.inquiry_send(actor=market["bare_purchaser"], listing=market["gx_listing"].pk, message="询价",
                              quantity="5")
    assert caught.value.code == "buyer_profile_required"
    assert not Inquiry.objects.exists()


def test_bad_inquiry_input_writes_nothing(market):
    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        services.inquiry_send(actor=market["buyer"], listing=market["gx_listing"].pk, message="", quantity="0",
                              wanted_by=TODAY - datetime.timedelta(days=1))
    assert set(caught.value.fields) == {"message", "quantity", "wanted_by"}
    assert _written() == before


def test_each_side_sees_only_its_own_inquiries(market):
    inquiry = services.inquiry_send(actor=market["buyer"], listing=market["gx_listing"].pk, message="询价",
                                    quantity="5")
    other_buyer = purchaser("buyer2", "上海某电商", county="310101")
    assert list(selectors.own_inquiries(market["buyer"])) == [inquiry]
    assert list(selectors.own_inquiries(market["users"]["gx_applicant"])) == [inquiry]
    for outsider in (market["users"]["sh_applicant"], other_buyer, market["users"]["gx_province"]):
        assert list(selectors.own_inquiries(outsider)) == []
    with pytest.raises(NotFound):
        services.inquiry_reply(actor=market["users"]["sh_applicant"], inquiry=inquiry.pk, reply="不是我的")


# --- buyers -------------------------------------------------------------------------------------

SIGNUP = {
    "username": "yongjiang_mart", "password": "Yongjiang-2026-buy", "display_name": "莫小宝", "phone": "13712345678",
    "name": "南宁邕江连锁超市有限公司", "uscc": valid_uscc("450103"), "region": "450103",
    "address": "青秀区民族大道 1 号", "legal_representative": "莫大宝", "contact_name": "莫小宝",
    "contact_phone": "13712345678", "buyer_type": "supermarket", "product_fields": ["grain_oil", "fruit"],
    "regions": ["450100"], "listed": True,
}


def test_buyer_signup_creates_user_organisation_and_profile_together(regions):
    user = services.buyer_signup(**SIGNUP)
    assert user.roles == {Role.PURCHASER}
    assert user.entity.kind == EntityKind.PURCHASER
    profile = user.entity.buyer_profile
    assert profile.field_codes == ["grain_oil", "fruit"] and profile.listed
    assert services.is_registered_buyer(user)
    assert AuditEvent.objects.filter(verb="market.buyer.signup", actor=user).count() == 1


def test_buyer_signup_reuses_the_applicant_checks_and_writes_nothing_on_error(users):
    with pytest.raises(ValidationFailed) as caught:
        services.buyer_signup(**{**SIGNUP, "username": "gx_applicant", "password": "12345678",
                                 "product_fields": [], "regions": [], "buyer_type": "x"})
    assert {"username", "password", "product_fields", "regions", "buyer_type"} <= set(caught.value.fields)
    assert not Entity.objects.filter(name=SIGNUP["name"]).exists()
    assert not BuyerProfile.objects.exists()


def test_an_existing_purchaser_becomes_a_buyer_by_filling_its_profile(market):
    bare = market["bare_purchaser"]
    assert not services.is_registered_buyer(bare)
    services.buyer_profile_save(actor=bare, buyer_type="catering", product_fields=["vegetable"],
                                serves_nationwide=True, listed=True)
    assert services.is_registered_buyer(bare)
    with pytest.raises(PermissionDenied):
        services.buyer_profile_save(actor=market["users"]["gx_applicant"], buyer_type="dealer",
                                    product_fields=["fruit"], serves_nationwide=True)


def test_the_directory_lists_opted_in_buyers_by_type_field_and_region(market):
    listed = market["buyer"].entity.buyer_profile  # serves 450000, fields grain_oil + inputs
    assert list(selectors.dealer_directory()) == [listed]
    assert list(selectors.dealer_directory(region="450100")) == [listed]  # inside Guangxi
    assert list(selectors.dealer_directory(region="310000")) == []
    assert list(selectors.dealer_directory(field="grain_oil", buyer_type="supermarket")) == [listed]
    assert list(selectors.dealer_directory(field="fruit")) == []
