"""The key pages and endpoints read a fixed number of queries however many rows they show: each is
requested with a few rows, then with ten times as many, and must not need one query more (an N+1
shows up as 27 extra queries). Measured after one warm-up request, so per-process caches (content
types, the region tree, sessions) count the same in both runs."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates import signing
from sanpin.certificates.services import certificate_set_status
from sanpin.certificates.tests.factories import issue
from sanpin.certification.models import Application, ApplicationProduct, Event
from sanpin.compliance import issuing
from sanpin.compliance.models import ComplianceCertificate, SourceLink

pytestmark = pytest.mark.django_db
FEW, MANY = 3, 30


def count_queries(fetch) -> int:
    cache.clear()
    response = fetch()  # warm-up
    assert response.status_code == 200, response.content[:500]
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured)


def assert_flat(fetch, grow):
    """`fetch` costs as many queries after `grow()` has added ten times the rows as before."""
    grow(FEW)
    few = count_queries(fetch)
    grow(MANY - FEW)
    many = count_queries(fetch)
    assert many <= few, f"{few} queries with {FEW} rows, {many} with {MANY}"


# --- certificates ------------------------------------------------------------------------------------


def _certificates(holder):
    made = []

    def grow(n):
        for _ in range(n):
            day = datetime.date(2025, 1, 1) + datetime.timedelta(days=len(made))
            made.append(issue(holder, approved_on=day, product_name=f"产品{len(made)}"))
    return grow


def test_certificate_list_page(client, users, gx_entity):
    client.force_login(users["gx_province"])
    assert_flat(lambda: client.get("/certificates/"), _certificates(gx_entity))


def test_certificate_list_api_pages_and_keyset(api, users, gx_entity):
    api.force_authenticate(users["gx_province"])
    grow = _certificates(gx_entity)
    assert_flat(lambda: api.get("/api/v1/certificates/"), grow)
    assert count_queries(lambda: api.get("/api/v1/certificates/?after=")) <= count_queries(
        lambda: api.get("/api/v1/certificates/"))


def test_public_verify_api_with_a_long_history(api, users, gx_entity):
    certificate = issue(gx_entity, approved_on=datetime.date(2025, 3, 10))
    url = f"/api/v1/public/verify/?code={certificate.number}"

    def grow(n):  # every status change adds a history row
        nonlocal certificate
        for _ in range(n):
            target = "in_rectification" if certificate.status == "valid" else "valid"
            certificate = certificate_set_status(actor=users["national"], certificate=certificate, status=target,
                                                 reason="整改")
    assert_flat(lambda: api.get(url), grow)


def test_public_search_page(client, regions, gx_entity):
    assert_flat(lambda: client.get("/search/?q=产品"), _certificates(gx_entity))


# --- applications -----------------------------------------------------------------------------------


def _applications(users, entity):
    def grow(n):
        for i in range(n):
            application = Application.objects.create(scheme="green_inputs", kind="initial", entity=entity,
                                                     created_by=users["gx_applicant"], number=f"LS{i:06d}")
            ApplicationProduct.objects.create(application=application, name="生物有机肥", category="01",
                                              approved_output=Decimal("10"))
    return grow


def test_application_list_page(client, users, gx_entity):
    client.force_login(users["gx_province"])
    assert_flat(lambda: client.get("/certification/applications/"), _applications(users, gx_entity))


def test_application_list_api(api, users, gx_entity):
    api.force_authenticate(users["gx_province"])
    assert_flat(lambda: api.get("/api/v1/applications/"), _applications(users, gx_entity))


def test_application_detail_page_with_many_products_and_events(client, users, gx_entity):
    application = Application.objects.create(scheme="green_inputs", kind="initial", entity=gx_entity,
                                             created_by=users["gx_applicant"], number="LS-2025-0001")
    actors = [users["gx_province"], users["nn_city"], users["national"]]

    def grow(n):
        for i in range(n):
            issued = issue(gx_entity, product_name=f"产品{i}")
            ApplicationProduct.objects.create(application=application, name=f"产品{i}", category="01",
                                              approved_output=Decimal("10"), certificate=issued)
            Event.objects.create(application=application, action="note", from_state="draft", to_state="draft",
                                 actor=actors[i % 3], opinion="记录", at=timezone.now())
    client.force_login(users["gx_province"])
    assert_flat(lambda: client.get(f"/certification/applications/{application.pk}/"), grow)


# --- 合格证 ------------------------------------------------------------------------------------------


def _issue(actor, **extra):
    values = {"product_name": "西红柿", "category": "vegetable", "quantity": "100", "unit": "公斤", **extra}
    return issuing.compliance_issue_one(actor=actor, **values)


def _compliance(users):
    def grow(n):
        issuing.compliance_issue(actor=users["gx_applicant"], items=[
            {"product_name": "西红柿", "category": "vegetable", "quantity": "100", "unit": "公斤"} for _ in range(n)])
    return grow


def test_compliance_list_page(client, users):
    client.force_login(users["gx_province"])
    assert_flat(lambda: client.get("/compliance/"), _compliance(users))


def test_compliance_list_api(api, users):
    api.force_authenticate(users["gx_province"])
    assert_flat(lambda: api.get("/api/v1/compliance-certificates/"), _compliance(users))


def test_public_compliance_scan_with_many_sources(api, users, regions):
    market = EntityFactory(name="南宁海吉星批发市场", kind="purchaser", region=regions["450102"])
    buyer = UserFactory(username="market", roles=[Role.PURCHASER], entity=market)
    mixed = _issue(buyer, quantity="6000")
    ComplianceCertificate.objects.filter(pk=mixed.pk).update(is_reissue=True)
    farms = []

    def grow(n):  # a re-issued lot mixed from ever more farms' lots, each farm its own producer
        for _ in range(n):
            farm = EntityFactory(region=regions["450102"])
            grower = UserFactory(roles=[Role.APPLICANT], entity=farm)
            source = _issue(grower, quantity="500")
            SourceLink.objects.create(certificate_id=mixed.pk, certificate_issued_at=mixed.issued_at,
                                      source_id=source.pk, source_issued_at=source.issued_at, receiver=market,
                                      quantity=Decimal("100"))
            farms.append(farm)
    assert_flat(lambda: api.get(f"/api/v1/public/compliance/{mixed.code}/"), grow)


# --- bases ------------------------------------------------------------------------------------------


def test_base_list_page(client, users, regions, gx_entity):
    from sanpin.accounts.choices import AgencyLevel
    from sanpin.accounts.tests.factories import AgencyFactory
    from sanpin.bases import services

    county = UserFactory(roles=[Role.LOCAL_STAFF], agency=AgencyFactory(
        name="南宁市兴宁区农业农村局", level=AgencyLevel.COUNTY, region=regions["450102"]))
    made = []

    def grow(n):
        for _ in range(n):
            made.append(services.base_create(
                actor=county, name=f"兴宁区沙田柚基地{len(made)}", operator=gx_entity, county=regions["450102"],
                base_type="GF", level="district", products="沙田柚", area_mu="5200", output_tons="8000",
                location="兴宁区五塘镇", certificates=[issue(gx_entity, product_name=f"基地产品{len(made)}")]))
    client.force_login(users["gx_province"])
    assert_flat(lambda: client.get("/bases/"), grow)


def test_signed_scan_of_a_certificate_is_flat_too(api, users, gx_entity):
    """The QR code's signed URL goes through the same lookup as a typed number."""
    certificate = issue(gx_entity)
    url = "/api/v1/public/verify/?code=" + signing.signed_url(certificate.number)
    assert count_queries(lambda: api.get(url)) <= count_queries(
        lambda: api.get(f"/api/v1/public/verify/?code={certificate.number}"))
