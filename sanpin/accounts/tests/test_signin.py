"""Signing in and out through the pages, and the lockout after repeated failures."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from sanpin.accounts.models import SYSTEM_USERNAME
from sanpin.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_login_page_is_chinese_and_public(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "用户名" in body and "密码" in body and "登录" in body


def test_staff_signs_in_and_lands_on_the_workbench(client, users):
    response = sign_in(client, "gx_province")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).status_code == 200


def test_sign_in_follows_a_safe_next_link_only(client, users):
    response = sign_in(client, "gx_province", next="/accounts/profile/")
    assert response["Location"] == "/accounts/profile/"
    client.logout()
    response = sign_in(client, "gx_province", next="https://evil.example/")
    assert response["Location"] == reverse("accounts:home")


def test_wrong_password_shows_a_chinese_error_and_signs_nobody_in(client, users):
    response = sign_in(client, "gx_province", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client, users):
    user = users["nn_city"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = sign_in(client, "nn_city")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_system_user_cannot_sign_in_even_with_a_password(client, users):
    system = get_user_model().objects.get(username=SYSTEM_USERNAME)
    system.set_password(PASSWORD)
    system.is_active = True  # even if someone switched it on by mistake
    system.save()
    response = sign_in(client, SYSTEM_USERNAME)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, users):
    client.force_login(users["gx_province"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_five_failures_lock_the_account_for_this_address(client, users):
    # Given four wrong passwords
    for _ in range(4):
        assert sign_in(client, "gx_province", "wrong-password").status_code == 200
    # When the fifth fails too
    response = sign_in(client, "gx_province", "wrong-password")
    # Then the Chinese lockout page answers, and even the right password is refused
    assert response.status_code == 429
    assert "账号已被暂时锁定" in response.content.decode()
    assert "30 分钟" in response.content.decode()
    response = sign_in(client, "gx_province")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_lockout_is_per_username(client, users):
    for _ in range(5):
        sign_in(client, "gx_province", "wrong-password")
    response = sign_in(client, "sh_province")
    assert response.status_code == 302


@override_settings(AXES_ENABLED=True)
def test_a_success_before_the_limit_resets_the_count(client, users):
    for _ in range(4):
        sign_in(client, "gx_province", "wrong-password")
    assert sign_in(client, "gx_province").status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "gx_province", "wrong-password").status_code == 200
