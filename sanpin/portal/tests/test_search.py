"""Public search: finds by product, entity and number, filters by scheme, status and region,
shows only public fields, and answers one page in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from sanpin.accounts.models import system_user
from sanpin.catalog.tests.factories import EntityFactory, valid_uscc
from sanpin.certificates.services import certificate_set_status
from sanpin.certificates.tests.factories import issue

pytestmark = pytest.mark.django_db
API = "/api/v1/public/search/"


@pytest.fixture
def registry(gx_entity, sh_entity, regions):
    """A valid and an expired Guangxi licence, a revoked Shanghai one, a Baise organic product."""
    baise = EntityFactory(name="隆林生态茶业合作社", kind="cooperative", region=regions["451031"],
                          uscc=valid_uscc("451031"), contact_phone="13800000000")
    valid = issue(gx_entity, product_name="生物有机肥")
    expired = issue(gx_entity, product_name="复合微生物肥料", approved_on=datetime.date(2019, 5, 1))
    revoked = issue(sh_entity, product_name="有机水溶肥")
    certificate_set_status(actor=system_user(), certificate=revoked, status="revoked", reason="抽检不合格")
    organic = issue(baise, scheme="organic", number="ORG-451031-0001", product_name="隆林绿茶", category="01")
    return {"valid": valid, "expired": expired, "revoked": revoked, "organic": organic, "baise": baise}


def _numbers(api, **params):
    return {row["number"] for row in api.get(API, params).json()["results"]}


def test_finds_by_product_entity_and_number(api, registry, gx_entity):
    assert _numbers(api, q="绿茶") == {registry["organic"].number}
    assert _numbers(api, q=gx_entity.name) == {registry["valid"].number, registry["expired"].number}
    assert _numbers(api, q=registry["revoked"].number) == {registry["revoked"].number}


def test_filters_by_scheme_status_and_region(api, registry):
    assert _numbers(api, scheme="organic") == {registry["organic"].number}
    assert _numbers(api, status="expired") == {registry["expired"].number}
    assert _numbers(api, status="revoked") == {registry["revoked"].number}
    assert _numbers(api, region="450000") == {registry["valid"].number, registry["expired"].number,
                                              registry["organic"].number}
    assert _numbers(api, region="451000") == {registry["organic"].number}
    assert _numbers(api, region="310000", status="valid") == set()


def test_bad_filter_is_refused_naming_the_field(api, registry):
    response = api.get(API, {"scheme": "nonsense"})
    assert response.status_code == 400 and "scheme" in response.json()["fields"]


def test_shows_only_public_fields(api, registry):
    row = api.get(API, {"q": "绿茶"}).json()["results"][0]
    assert row["holder_name"] == "隆林生态茶业合作社" and row["holder_uscc"] == registry["baise"].uscc
    assert row["status"] == "valid" and row["verify_url"].endswith(f"/v/{registry['organic'].number}/")
    assert "13800000000" not in str(row) and "contact" not in " ".join(row)


def test_individual_business_uscc_is_withheld(api, regions):
    person = EntityFactory(name="张三家庭农场", kind="family_farm", region=regions["450103"],
                           uscc="92" + valid_uscc("450103")[2:])
    issue(person, product_name="生物菌肥")
    row = api.get(API, {"q": "张三"}).json()["results"]
    assert row and row[0]["holder_uscc"] == ""


def test_search_page_needs_no_sign_in_and_links_the_verify_page(client, registry):
    page = client.get(reverse("portal:search"), {"q": "有机肥"})
    assert page.status_code == 200
    body = page.content.decode()
    assert registry["valid"].number in body and f"/v/{registry['valid'].number}/" in body


def test_one_page_takes_a_fixed_number_of_queries(client, api, registry, gx_entity, django_assert_max_num_queries):
    for n in range(15):
        issue(gx_entity, product_name=f"有机肥{n}")
    with django_assert_max_num_queries(4):
        api.get(API, {"q": "有机肥"})
    with django_assert_max_num_queries(5):
        client.get(reverse("portal:search"), {"q": "有机肥"})
