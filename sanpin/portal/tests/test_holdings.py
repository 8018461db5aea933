"""The entity page lists everything the entity holds — certificates of every scheme with their
effective status, applications, GAP certificates — scoped to the viewer."""

import datetime

import pytest
from django.urls import reverse

from sanpin.certificates.tests.factories import issue
from sanpin.gap.tests.factories import record_gap

pytestmark = pytest.mark.django_db


def test_entity_page_lists_certificates_and_gap_records_with_effective_status(client, users, gx_entity, sh_entity):
    old = issue(gx_entity, approved_on=datetime.date(2020, 1, 1), product_name="旧肥料")
    record_gap(users["gx_province"], gx_entity, number="GAP-GX-1")
    issue(sh_entity, product_name="上海肥料")
    client.force_login(users["gx_province"])
    page = client.get(reverse("catalog:entity_detail", args=[gx_entity.pk])).content.decode()
    assert old.number in page and "已过期" in page
    assert "GAP-GX-1" in page and reverse("gap:detail", args=[1]).rsplit("/", 2)[0] in page
    assert "上海肥料" not in page


def test_holder_sees_its_own_holdings_on_its_entity_page(client, users, gx_entity):
    issue(gx_entity, product_name="本单位肥料")
    client.force_login(users["gx_applicant"])
    page = client.get(reverse("catalog:entity_detail", args=[gx_entity.pk])).content.decode()
    assert "本单位肥料" in page and "申请" in page


def test_another_regions_entity_page_is_not_found(client, users, sh_entity):
    client.force_login(users["gx_province"])
    assert client.get(reverse("catalog:entity_detail", args=[sh_entity.pk])).status_code == 404
