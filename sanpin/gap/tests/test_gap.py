"""GAP records through services and HTTP: recording with audit, scope (403/404), expiry computed
when read, correction and ending."""

import datetime

import pytest
from django.urls import reverse

from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.gap import services
from sanpin.gap.models import EXPIRED, GAPCertificate, GAPStatus
from sanpin.gap.tests.factories import record_gap

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_staff_record_a_certificate_with_one_audit_event(users, gx_entity):
    certificate = record_gap(users["gx_province"], gx_entity)
    assert certificate.recorded_by == users["gx_province"]
    assert AuditEvent.objects.filter(verb="gap.certificate.create").count() == 1


def test_staff_cannot_record_for_another_regions_entity(users, sh_entity):
    with pytest.raises(PermissionDenied):
        record_gap(users["gx_province"], sh_entity)
    assert not GAPCertificate.objects.exists()


def test_bad_input_names_the_field_and_writes_nothing(users, gx_entity):
    with pytest.raises(ValidationFailed) as exc:
        record_gap(users["gx_province"], gx_entity, number=" ", valid_from=TODAY, valid_until=TODAY - DAY)
    assert set(exc.value.fields) == {"number", "valid_until"}
    assert not GAPCertificate.objects.exists()


def test_same_certifier_number_is_refused(users, gx_entity):
    record_gap(users["gx_province"], gx_entity)
    with pytest.raises(ValidationFailed) as exc:
        record_gap(users["gx_province"], gx_entity)
    assert "number" in exc.value.fields


def test_expiry_is_computed_when_read(users, gx_entity):
    certificate = record_gap(users["gx_province"], gx_entity, valid_from=TODAY - 400 * DAY, valid_until=TODAY - DAY)
    assert certificate.status == GAPStatus.VALID
    assert certificate.effective_status(TODAY) == EXPIRED
    assert certificate.effective_status(TODAY - 2 * DAY) == GAPStatus.VALID


def test_update_and_end_are_audited_and_end_closes_the_record(users, gx_entity):
    certificate = record_gap(users["gx_province"], gx_entity)
    services.gap_certificate_update(actor=users["nn_city"], certificate=certificate, certifier=certificate.certifier,
                                    number=certificate.number, products="番茄、黄瓜", area="",
                                    valid_from=certificate.valid_from, valid_until=certificate.valid_until)
    services.gap_certificate_end(actor=users["gx_province"], certificate=certificate, ended_on=TODAY,
                                 reason="认证机构撤销")
    certificate.refresh_from_db()
    assert (certificate.products, certificate.status) == ("番茄、黄瓜", GAPStatus.ENDED)
    assert AuditEvent.objects.filter(verb__in=["gap.certificate.update", "gap.certificate.end"]).count() == 2


def test_holder_sees_own_certificates_only_and_others_are_not_found(client, users, gx_entity, sh_entity):
    mine = record_gap(users["gx_province"], gx_entity)
    theirs = record_gap(users["sh_province"], sh_entity, number="SH-1")
    client.force_login(users["gx_applicant"])
    page = client.get(reverse("gap:list"))
    assert mine.number in page.content.decode() and theirs.number not in page.content.decode()
    assert client.get(reverse("gap:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("gap:detail", args=[theirs.pk])).status_code == 404
    # A holder may not record or end certificates: 403.
    assert client.post(reverse("gap:end", args=[mine.pk]), {"ended_on": TODAY, "reason": "x"}).status_code == 403


def test_staff_record_through_the_page(client, users, gx_entity):
    client.force_login(users["nn_city"])
    response = client.post(reverse("gap:create"), {
        "holder_uscc": gx_entity.uscc, "certifier": "北京五洲恒通认证有限公司", "number": "WZ-9",
        "products": "柑橘", "valid_from": TODAY, "valid_until": TODAY + 300 * DAY,
    })
    assert response.status_code == 302
    assert GAPCertificate.objects.get(number="WZ-9").holder == gx_entity


def test_page_refuses_a_bad_validity_with_a_message(client, users, gx_entity):
    client.force_login(users["gx_province"])
    response = client.post(reverse("gap:create"), {
        "holder_uscc": gx_entity.uscc, "certifier": "机构", "number": "X1", "products": "柑橘",
        "valid_from": TODAY, "valid_until": TODAY - DAY,
    })
    assert response.status_code == 400
    assert "有效期至不能早于有效期起" in response.content.decode()


def test_api_lists_in_scope_and_filters_expired(api, users, gx_entity, sh_entity):
    record_gap(users["gx_province"], gx_entity, number="OLD", valid_from=TODAY - 400 * DAY, valid_until=TODAY - DAY)
    record_gap(users["gx_province"], gx_entity, number="NEW")
    record_gap(users["sh_province"], sh_entity, number="SH-1")
    api.force_authenticate(users["gx_province"])
    numbers = {r["number"]: r["effective_status"] for r in api.get("/api/v1/gap-certificates/").json()["results"]}
    assert numbers == {"OLD": "expired", "NEW": "valid"}
    expired = api.get("/api/v1/gap-certificates/?status=expired").json()["results"]
    assert [r["number"] for r in expired] == ["OLD"]


def test_api_records_and_refuses_out_of_scope_holders(api, users, gx_entity, sh_entity):
    body = {"certifier": "中国质量认证中心", "number": "C-1", "products": "茶叶",
            "valid_from": str(TODAY), "valid_until": str(TODAY + 300 * DAY)}
    api.force_authenticate(users["gx_province"])
    created = api.post("/api/v1/gap-certificates/", {**body, "holder_uscc": gx_entity.uscc}, format="json")
    assert created.status_code == 201
    refused = api.post("/api/v1/gap-certificates/", {**body, "number": "C-2", "holder_uscc": sh_entity.uscc},
                       format="json")
    assert refused.status_code == 400 and "holder_uscc" in refused.json()["fields"]
    api.force_authenticate(users["gx_applicant"])
    assert api.post("/api/v1/gap-certificates/", {**body, "holder_uscc": gx_entity.uscc},
                    format="json").status_code == 403
