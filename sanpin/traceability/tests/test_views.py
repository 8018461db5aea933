"""The outbox page for system administrators: states, failures with the last error, one
event's document, re-sending one or all failed events."""

import pytest

from sanpin.certificates.tests.factories import issue
from sanpin.core.models import AuditEvent
from sanpin.traceability.models import OutboxEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(gx_entity):
    cert = issue(gx_entity)
    OutboxEvent.objects.update(status="failed", attempts=6, response_code=502, last_error="HTTP 502 Bad Gateway")
    return OutboxEvent.objects.get(certificate=cert)


def test_only_system_administrators_open_the_outbox(client, users, failed):
    for name in ("national", "gx_province", "gx_applicant"):
        client.force_login(users[name])
        assert client.get("/traceability/").status_code == 403
        assert client.get(f"/traceability/{failed.pk}/").status_code == 403
        assert client.post(f"/traceability/{failed.pk}/resend/").status_code == 403
    client.force_login(users["admin"])
    assert client.get("/traceability/").status_code == 200


def test_the_list_filters_by_status_and_shows_the_last_error(client, users, failed, gx_entity, settings):
    settings.TRACEABILITY_ENDPOINT = ""
    issue(gx_entity, product_name="复合微生物肥料")  # a pending one
    client.force_login(users["admin"])
    page = client.get("/traceability/?status=failed").content.decode()
    assert "HTTP 502 Bad Gateway" in page and failed.number in page
    assert "复合微生物肥料" not in page
    assert "未配置推送地址" in page
    pending = client.get("/traceability/?status=pending").content.decode()
    assert failed.number not in pending
    detail = client.get(f"/traceability/{failed.pk}/").content.decode()
    assert "gs1:CertificationDetails" in detail and str(failed.pk) in detail


def test_resending_from_the_page_is_audited(client, users, failed, gx_entity):
    client.force_login(users["admin"])
    response = client.post(f"/traceability/{failed.pk}/resend/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)
    assert AuditEvent.objects.filter(verb="traceability.resend", actor=users["admin"]).count() == 1
    # Resending it again is refused with a message, nothing changes
    response = client.post(f"/traceability/{failed.pk}/resend/", follow=True)
    assert "只有推送失败的事件可以重发" in response.content.decode()
    # Resend all
    issue(gx_entity, product_name="复合微生物肥料")
    OutboxEvent.objects.update(status="failed", attempts=6)
    response = client.post("/traceability/resend-failed/")
    assert response.status_code == 302 and response["Location"].endswith("?status=pending")
    assert set(OutboxEvent.objects.values_list("status", flat=True)) == {"pending"}
    assert AuditEvent.objects.filter(verb="traceability.resend").count() == 3


def test_an_unknown_event_is_not_found(client, users):
    client.force_login(users["admin"])
    assert client.get("/traceability/00000000-0000-4000-8000-000000000009/").status_code == 404
