"""The public home page: open to everyone, in Chinese, and every link on it works."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#][^"]*)"')


def links(body: str) -> list[str]:
    """Site-internal links of a page (static assets aside)."""
    return sorted({h for h in HREF.findall(body) if h.startswith("/") and not h.startswith("/static/")})


def test_home_page_is_public_and_explains_the_system(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("三品一标", "绿色食品", "有机农产品", "农产品地理标志", "承诺达标合格证",
                 "工作机构", "申请人", "收购者", "金融机构", "社会公众"):
        assert text in body
    assert reverse("accounts:login") in body
    assert "/api/docs/" in body


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_every_link_on_the_home_page_opens(client, users, signed_in):
    if signed_in:
        client.force_login(users["gx_applicant"])
    body = client.get(reverse("portal:home")).content.decode()
    found = links(body)
    assert found
    for url in found:
        status = client.get(url).status_code
        assert status not in (404, 500), f"{url} answered {status}"
        assert status in (200, 302), f"{url} answered {status}"


def test_signed_in_users_are_offered_their_workbench(client, users):
    client.force_login(users["gx_province"])
    body = client.get(reverse("portal:home")).content.decode()
    assert reverse("accounts:home") in body
