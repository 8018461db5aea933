"""Every navigation entry leads to a page that exists, and each role sees only its own entries."""

import pytest
from django.urls import reverse

from sanpin.accounts.context_processors import NAV_ITEMS, nav_items_for


def test_every_navigation_entry_resolves():
    for item in NAV_ITEMS:
        assert reverse(item.url_name)


@pytest.mark.django_db
def test_roles_see_their_own_entries(users):
    labels = lambda user: {str(item["label"]) for item in nav_items_for(user)}  # noqa: E731
    assert "审计日志" in labels(users["national"])
    assert "审计日志" not in labels(users["gx_province"])
    assert "本单位信息" in labels(users["gx_applicant"])
    assert "申请人/主体" not in labels(users["gx_applicant"])
    assert "工作台" in labels(users["expert"])


def test_every_workbench_card_says_what_the_page_is_for():
    for item in NAV_ITEMS:
        if item.url_name != "accounts:home":
            assert item.hint and item.icon.startswith("bi-"), item.url_name
