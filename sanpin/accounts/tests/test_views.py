"""The workbench per role and the 我的账户 page."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from sanpin.accounts.choices import QualificationKind
from sanpin.accounts.models import InspectorQualification
from sanpin.accounts.services import user_update_profile
from sanpin.accounts.tests.factories import PASSWORD, UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Trademark
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.core.errors import ValidationFailed
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HOME = "/accounts/home/"
PROFILE = "/accounts/profile/"


def workbench(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response


def test_workbench_needs_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_provincial_staff_see_their_scope_and_counts_of_their_province_only(client, users, regions):
    # Given two Guangxi entities (one in Baise) and one in Shanghai
    EntityFactory(name="百色芒果合作社", region=regions["451031"], kind=EntityKind.COOPERATIVE)
    response = workbench(client, users["gx_province"])
    scope = response.context["scope"]
    # Then only Guangxi entities are counted, split by kind and by city
    assert scope.label == "广西壮族自治区及所辖区划"
    assert scope.entity_total == 2
    assert dict(scope.by_kind) == {"企业": 1, "农民专业合作社": 1}
    assert {region.code: n for region, n in scope.by_area} == {"450100": 1, "451000": 1}
    body = response.content.decode()
    assert "广西绿色食品发展站" in body and "上海申绿食品有限公司" not in body


def test_city_staff_count_their_city(client, users, regions):
    EntityFactory(name="百色芒果合作社", region=regions["451031"])
    scope = workbench(client, users["nn_city"]).context["scope"]
    assert scope.label == "广西壮族自治区南宁市及所辖区划"
    assert scope.entity_total == 1
    assert {region.code: n for region, n in scope.by_area} == {"450102": 1}


def test_national_staff_see_the_whole_country(client, users):
    scope = workbench(client, users["national"]).context["scope"]
    assert scope.label == "全国"
    assert scope.entity_total == 2
    assert {region.code for region, _ in scope.by_area} == {"450000", "310000"}


def test_staff_are_offered_the_second_factor_until_they_enrol(client, users):
    body = workbench(client, users["gx_province"]).content.decode()
    assert "尚未启用动态验证码" in body
    assert reverse("accounts:otp_setup") in body


def test_workbench_links_only_to_pages_of_the_role(client, users):
    staff_urls = {page["url_name"] for page in workbench(client, users["national"]).context["pages"]}
    applicant_urls = {page["url_name"] for page in workbench(client, users["gx_applicant"]).context["pages"]}
    assert "accounts:home" not in staff_urls
    assert "catalog:my_entity" not in staff_urls
    assert "catalog:entity_list" not in applicant_urls
    assert "core:audit_list" not in applicant_urls


def test_every_workbench_link_opens_for_that_user(client, users):
    for name in ("national", "gx_province", "nn_city", "inspector", "expert", "gx_applicant"):
        response = workbench(client, users[name])
        for page in response.context["pages"]:
            assert client.get(page["url"]).status_code == 200, (name, page["url"])


def test_inspectors_see_their_qualifications(client, users, regions):
    today = datetime.date.today()
    InspectorQualification.objects.create(
        user=users["inspector"], kind=QualificationKind.GREEN_INPUTS_ADMIN, number="Q-1",
        province=regions["450000"], valid_from=today, valid_until=today + datetime.timedelta(days=365),
    )
    body = workbench(client, users["inspector"]).content.decode()
    assert "绿色生资管理员" in body and "Q-1" in body and "有效" in body


def test_applicants_see_their_own_entity_and_trademarks(client, users, gx_entity):
    Trademark.objects.create(entity=gx_entity, name="绿源", registration_no="12345678")
    response = workbench(client, users["gx_applicant"])
    assert response.context["entity"] == gx_entity
    assert "scope" not in response.context
    body = response.content.decode()
    assert gx_entity.uscc in body and "绿源" in body
    assert "上海申绿食品有限公司" not in body


def test_experts_without_agency_or_entity_get_a_workbench(client, users):
    response = workbench(client, users["expert"])
    assert "评审专家" in response.content.decode()


def test_profile_change_saves_name_and_phone_with_an_audit_event(client, users):
    client.force_login(users["nn_city"])
    response = client.post(PROFILE, {"display_name": "黄志强", "phone": "13907710001"})
    assert response.status_code == 302
    users["nn_city"].refresh_from_db()
    assert (users["nn_city"].display_name, users["nn_city"].phone) == ("黄志强", "13907710001")
    event = AuditEvent.objects.get(verb="accounts.user_update_profile")
    assert event.new == {"display_name": "黄志强", "phone": "13907710001"}


def test_profile_rejects_a_bad_phone_in_chinese_and_writes_nothing(client, users):
    client.force_login(users["nn_city"])
    before = users["nn_city"].display_name
    response = client.post(PROFILE, {"display_name": "新名字", "phone": "12345"})
    assert response.status_code == 200
    assert "请填写 11 位手机号码" in response.content.decode()
    users["nn_city"].refresh_from_db()
    assert users["nn_city"].display_name == before
    assert not AuditEvent.objects.filter(verb="accounts.user_update_profile").exists()


@settings(max_examples=40, deadline=None)
@given(phone=st.text(alphabet="0123456789-+ ab", max_size=14))
def test_only_mobile_numbers_or_nothing_are_accepted(phone):
    user = UserFactory(username="phone-owner")
    cleaned = phone.strip()
    valid = cleaned == "" or (cleaned.isdigit() and len(cleaned) == 11 and cleaned.startswith("1"))
    try:
        user_update_profile(actor=user, user=user, display_name="某人", phone=phone)
    except ValidationFailed as exc:
        assert not valid
        assert exc.fields == {"phone": ["请填写 11 位手机号码"]}
    else:
        assert valid
        user.refresh_from_db()
        assert user.phone == cleaned


def test_password_change_through_the_page(client, users):
    client.force_login(users["nn_city"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "qingxiu-lvse-2026", "new_password2": "qingxiu-lvse-2026",
    })
    assert response.status_code == 302
    users["nn_city"].refresh_from_db()
    assert users["nn_city"].check_password("qingxiu-lvse-2026")
    assert AuditEvent.objects.filter(verb="accounts.user_set_password").exists()
    assert client.get(HOME).status_code == 200  # still signed in


def test_password_change_rejects_a_wrong_old_password(client, users):
    client.force_login(users["nn_city"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "not-it", "new_password1": "qingxiu-lvse-2026", "new_password2": "qingxiu-lvse-2026",
    })
    assert response.status_code == 200
    assert "原密码不正确" in response.content.decode()
    users["nn_city"].refresh_from_db()
    assert users["nn_city"].check_password(PASSWORD)


def test_navbar_offers_the_account_menu(client, users):
    body = workbench(client, users["gx_province"]).content.decode()
    assert reverse("accounts:profile") in body and reverse("accounts:logout") in body
