"""The auth endpoints: token for username and password, revocation, and who the caller is."""

import time

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from sanpin.accounts.tests.factories import PASSWORD
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REVOKE = "/api/v1/auth/token/revoke/"
ME = "/api/v1/auth/me/"


def ask_token(api, username, password=PASSWORD, **extra):
    return api.post(TOKEN, {"username": username, "password": password, **extra}, format="json")


def assert_error_body(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    return body


def test_username_and_password_give_a_token_that_authenticates(api, users):
    response = ask_token(api, "gx_province")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=users["gx_province"]).key == token
    assert AuditEvent.objects.filter(verb="accounts.token_issue", actor=users["gx_province"]).count() == 1
    # Asking again returns the same token and writes nothing new
    assert ask_token(api, "gx_province").json()["token"] == token
    assert AuditEvent.objects.filter(verb="accounts.token_issue").count() == 1
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(ME).json()["username"] == "gx_province"


def test_wrong_password_is_a_400_error_body_in_chinese(api, users):
    body = assert_error_body(ask_token(api, "gx_province", "wrong-password"), 400, "invalid_credentials")
    assert body["message"] == "用户名或密码错误"
    assert body["fields"] == {"non_field_errors": ["用户名或密码错误"]}
    assert not Token.objects.exists()


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(api, users):
    body = assert_error_body(ask_token(api, "no-such-user"), 400, "invalid_credentials")
    assert body["message"] == "用户名或密码错误"


def test_missing_fields_are_named(api, users):
    body = assert_error_body(api.post(TOKEN, {}, format="json"), 400, "invalid")
    assert body["fields"]["username"] == ["请填写用户名"]
    assert body["fields"]["password"] == ["请填写密码"]


def test_inactive_and_system_users_get_no_token(api, users):
    users["nn_city"].is_active = False
    users["nn_city"].save(update_fields=["is_active"])
    assert_error_body(ask_token(api, "nn_city"), 400, "invalid_credentials")
    assert_error_body(ask_token(api, "system", "anything-at-all"), 400, "invalid_credentials")


@override_settings(AXES_ENABLED=True)
def test_lockout_applies_to_the_token_endpoint_with_the_error_body(api, users):
    for _ in range(4):
        assert_error_body(ask_token(api, "gx_province", "wrong-password"), 400, "invalid_credentials")
    body = assert_error_body(ask_token(api, "gx_province", "wrong-password"), 429, "locked_out")
    assert "锁定" in body["message"] and "30 分钟" in body["message"]
    assert_error_body(ask_token(api, "gx_province"), 429, "locked_out")
    assert not Token.objects.exists()


def test_a_user_with_an_authenticator_must_send_the_code(api, users):
    device = TOTPDevice.objects.create(user=users["gx_province"], name="动态验证码", confirmed=True)
    body = assert_error_body(ask_token(api, "gx_province"), 400, "otp_required")
    assert body["fields"] == {"otp": ["请填写动态验证码"]}
    totp = TOTP(device.bin_key)
    totp.time = time.time()
    response = ask_token(api, "gx_province", otp=f"{totp.token():06d}")
    assert response.status_code == 200
    assert "token" in response.json()


@override_settings(SANPIN_REQUIRE_OTP_FOR_ADMINS=True)
def test_admins_who_must_enrol_get_no_token_before_they_do(api, users):
    assert_error_body(ask_token(api, "admin"), 403, "otp_setup_required")


def test_revoke_deletes_the_callers_token(api, users):
    token = ask_token(api, "gx_province").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post(REVOKE).status_code == 204
    assert not Token.objects.filter(key=token).exists()
    assert AuditEvent.objects.filter(verb="accounts.token_revoke").count() == 1
    assert_error_body(api.get(ME), 401, "authentication_failed")


def test_revoke_and_me_need_a_caller(api, users):
    assert_error_body(api.post(REVOKE), 401, "not_authenticated")
    assert_error_body(api.get(ME), 401, "not_authenticated")


def test_me_describes_staff_with_their_agency(api, users, regions):
    api.force_authenticate(users["gx_province"])
    assert api.get(ME).json() == {
        "username": "gx_province",
        "display_name": users["gx_province"].display_name,
        "roles": ["provincial_reviewer"],
        "agency": {
            "name": "广西绿色食品发展站", "level": "province", "region": {"code": "450000", "name": "广西壮族自治区"},
        },
        "entity": None,
    }


def test_me_describes_national_staff_without_a_region(api, users):
    api.force_authenticate(users["national"])
    body = api.get(ME).json()
    assert body["agency"] == {"name": "中国绿色食品发展中心", "level": "national", "region": None}


def test_me_describes_an_applicant_with_its_entity(api, users, gx_entity):
    api.force_authenticate(users["gx_applicant"])
    body = api.get(ME).json()
    assert body["roles"] == ["applicant"]
    assert body["agency"] is None
    assert body["entity"] == {"id": gx_entity.pk, "name": "广西绿源农业有限公司"}


def test_the_schema_documents_the_auth_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/auth/token/", "/api/v1/auth/token/revoke/", "/api/v1/auth/me/"} <= set(paths)
    assert "400" in paths["/api/v1/auth/token/"]["post"]["responses"]
