"""The TOTP second factor: enrolment, the code prompt after the password, blocked pages until
verified, turning it off, and forced enrolment for system administrators."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanpin.accounts.tests.factories import PASSWORD
from sanpin.accounts.views import SETUP_KEY_SESSION
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def code_for(key_hex: str, steps_ahead: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def wrong_code(key_hex: str) -> str:
    """A well-formed code that none of the accepted time steps (now ±1) produces."""
    accepted = {code_for(key_hex, step) for step in (-1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def sign_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


@pytest.fixture
def enrolled(users):
    """gx_province with a confirmed authenticator."""
    return TOTPDevice.objects.create(user=users["gx_province"], name="动态验证码", confirmed=True)


def test_setup_page_shows_a_qr_code_and_the_secret(client, users):
    client.force_login(users["gx_province"])
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "otpauth://totp/" in body
    assert response.context["secret"].replace(" ", "") in body.replace(" ", "")
    assert not TOTPDevice.objects.exists()  # nothing is stored before the first code


def test_enrolment_needs_a_correct_first_code(client, users):
    client.force_login(users["gx_province"])
    client.get(reverse("accounts:otp_setup"))
    key = client.session[SETUP_KEY_SESSION]
    response = client.post(reverse("accounts:otp_setup"), {"code": wrong_code(key)})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_enrolment_with_a_correct_code_turns_the_second_factor_on(client, users):
    # Given the set-up page was shown
    user = users["gx_province"]
    client.force_login(user)
    client.get(reverse("accounts:otp_setup"))
    key = client.session[SETUP_KEY_SESSION]
    # When the code from the app is entered
    response = client.post(reverse("accounts:otp_setup"), {"code": code_for(key)})
    # Then the device is confirmed, audited, and this session counts as verified
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    assert AuditEvent.objects.filter(verb="accounts.otp_enable", actor=user).exists()
    assert client.get(reverse("accounts:home")).status_code == 200
    assert client.get(reverse("accounts:profile")).context["has_second_factor"] is True


def test_the_enrolment_code_cannot_be_replayed_at_sign_in(client, users):
    user = users["gx_province"]
    client.force_login(user)
    client.get(reverse("accounts:otp_setup"))
    key = client.session[SETUP_KEY_SESSION]
    code = code_for(key)
    client.post(reverse("accounts:otp_setup"), {"code": code})
    client.logout()
    sign_in(client, "gx_province")
    response = client.post(reverse("accounts:otp_verify"), {"code": code})
    assert response.status_code == 200
    assert "动态验证码不正确" in response.content.decode()


def test_password_alone_leads_to_the_code_prompt(client, enrolled):
    response = sign_in(client, "gx_province")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def test_staff_pages_are_blocked_until_the_code_is_given(client, enrolled):
    # Given a password-only session
    sign_in(client, "gx_province")
    # Then every staff page redirects to the code prompt, keeping where the user was going
    for url in (reverse("accounts:home"), reverse("accounts:profile")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp_verify"))
        assert "next=" in response["Location"]
    # The public home page stays open
    assert client.get(reverse("portal:home")).status_code == 200
    # When the right code is given
    response = client.post(reverse("accounts:otp_verify") + "?next=/accounts/profile/",
                           {"code": code_for(enrolled.key), "next": "/accounts/profile/"})
    # Then the user goes on to the page and staff pages open
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert client.get(reverse("accounts:home")).status_code == 200


def test_a_wrong_code_keeps_the_pages_blocked(client, enrolled):
    sign_in(client, "gx_province")
    response = client.post(reverse("accounts:otp_verify"), {"code": wrong_code(enrolled.key)})
    assert response.status_code == 200
    assert "动态验证码不正确" in response.content.decode()
    assert client.get(reverse("accounts:home")).status_code == 302


def test_a_half_signed_in_session_is_anonymous_to_the_api(client, enrolled):
    sign_in(client, "gx_province")
    response = client.get("/api/v1/auth/me/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")


def test_non_numeric_codes_get_a_field_message(client, enrolled):
    sign_in(client, "gx_province")
    response = client.post(reverse("accounts:otp_verify"), {"code": "abcdef"})
    assert "动态验证码是 6 位数字" in response.content.decode()


def test_turning_the_second_factor_off_needs_a_current_code(client, enrolled):
    sign_in(client, "gx_province")
    client.post(reverse("accounts:otp_verify"), {"code": code_for(enrolled.key)})
    # A wrong code changes nothing
    response = client.post(reverse("accounts:otp_disable"), {"code": wrong_code(enrolled.key)})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=enrolled.user).exists()
    # The next code turns it off
    response = client.post(reverse("accounts:otp_disable"), {"code": code_for(enrolled.key, 1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled.user).exists()
    assert AuditEvent.objects.filter(verb="accounts.otp_disable").exists()


@override_settings(SANPIN_REQUIRE_OTP_FOR_ADMINS=True)
def test_admins_must_enrol_before_using_admin_pages_when_required(client, users):
    client.force_login(users["admin"])
    for url in (reverse("accounts:home"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    # Other staff are not forced
    client.force_login(users["gx_province"])
    assert client.get(reverse("accounts:home")).status_code == 200


def test_admins_are_not_forced_by_default(client, users):
    client.force_login(users["admin"])
    assert client.get(reverse("accounts:home")).status_code == 200
