"""The outbox: an event per certificate change written in the change's transaction, its
documented JSON shape, and delivery once with retries and back-off against a local receiver."""

import datetime
import io
import json
import threading
from decimal import Decimal

import jsonschema
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sanpin.accounts.models import system_user
from sanpin.certificates.models import Certificate
from sanpin.certificates.services import certificate_change, certificate_issue, certificate_set_status
from sanpin.certificates.tests.factories import issue
from sanpin.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.traceability import payload, services
from sanpin.traceability.models import OutboxEvent

pytestmark = pytest.mark.django_db

VALIDATOR = jsonschema.Draft202012Validator(payload.schema(), format_checker=jsonschema.FormatChecker())


def events(**filters):
    return list(OutboxEvent.objects.filter(**filters).order_by("occurred_at", "created_at"))


def test_issuing_writes_one_pending_event_with_the_documented_shape(gx_entity, moving_clock):
    cert = issue(gx_entity)
    [event] = events()
    assert (event.kind, event.number, event.scheme, event.status, event.attempts) == (
        "issued", cert.number, "green_inputs", "pending", 0)
    VALIDATOR.validate(event.payload)
    [epcis] = event.payload["epcisBody"]["eventList"]
    assert epcis["eventID"] == f"urn:uuid:{event.pk}"
    assert (epcis["action"], epcis["bizStep"], epcis["eventTimeZoneOffset"]) == (
        "ADD", "sanpin:certificate_issued", "+08:00")
    assert epcis["eventTime"] == "2025-03-10T01:00:00.000Z"
    assert epcis["quantityList"] == [{"epcClass": f"urn:sanpin:traceability:product:{cert.number}",
                                      "quantity": 5000.0, "uom": "TNE"}]
    assert epcis["certificationInfo"].endswith(f"/verify/?code={cert.number}")
    assert epcis["sanpin:certification"] == {
        "type": "gs1:CertificationDetails", "gs1:certificationStandard": "绿色食品生产资料",
        "gs1:certificationAgency": "中国绿色食品协会", "gs1:certificationIdentification": cert.number,
        "gs1:certificationStatus": "gs1:CertificationStatus-ACTIVE",
        "gs1:certificationStartDate": "2025-03-10", "gs1:certificationEndDate": "2028-03-09",
    }
    assert (epcis["sanpin:holderUSCC"], epcis["sanpin:holderName"]) == (gx_entity.uscc, gx_entity.name)
    assert (epcis["sanpin:productName"], epcis["sanpin:approvedOutput"], epcis["sanpin:outputUnit"]) == (
        "生物有机肥", "5000", "吨")


def test_a_rolled_back_issue_leaves_no_event(gx_entity):
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(gx_entity)
        raise RuntimeError("the caller's transaction fails after the issue")
    assert not Certificate.objects.exists()
    assert not OutboxEvent.objects.exists()


def test_a_refused_change_leaves_no_event(gx_entity):
    cert = issue(gx_entity)
    with pytest.raises(ValidationFailed):
        certificate_change(actor=system_user(), certificate=cert, changes={"product_name": ""}, reason="更名")
    with pytest.raises(TransitionNotAllowed):
        certificate_set_status(actor=system_user(), certificate=cert, status="valid", reason="无变化")
    assert [e.kind for e in events()] == ["issued"]


def test_the_event_is_written_inside_the_change_not_after_commit(gx_entity, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        issue(gx_entity)
        # Before any on-commit callback has run, the row is already there (same transaction).
        assert OutboxEvent.objects.count() == 1


def test_every_kind_of_change_is_an_event_of_the_documented_shape(gx_entity, moving_clock):
    actor = system_user()
    cert = issue(gx_entity, approved_on=datetime.date(2025, 1, 6))
    certificate_change(actor=actor, certificate=cert, changes={"approved_output": "6000"}, reason="扩产")
    for status in ("in_rectification", "valid", "suspended", "valid"):
        certificate_set_status(actor=actor, certificate=cert, status=status, reason="监管")
    renewal = certificate_issue(
        actor=actor, scheme=cert.scheme, holder=gx_entity, product_name=cert.product_name, category="01",
        trademark="", approved_output=Decimal("6000"), output_unit="吨", approved_on=cert.valid_until,
        valid_from=cert.valid_until + datetime.timedelta(days=1),
        valid_until=cert.valid_until.replace(year=cert.valid_until.year + 3), province=cert.province,
        predecessor=cert)
    certificate_set_status(actor=actor, certificate=renewal, status="revoked", reason="抽检不合格")
    kinds = [e.kind for e in events()]
    assert kinds == ["issued", "changed", "rectification", "reinstated", "suspended", "reinstated", "renewed",
                     "revoked"]
    for event in events():
        VALIDATOR.validate(event.payload)
    revoked = events(kind="revoked")[0].payload["epcisBody"]["eventList"][0]
    assert revoked["action"] == "DELETE"
    assert revoked["sanpin:certification"]["gs1:certificationStatus"] == "gs1:CertificationStatus-INACTIVE"
    assert revoked["sanpin:status"] == "revoked"
    suspended = events(kind="suspended")[0].payload["epcisBody"]["eventList"][0]
    assert suspended["sanpin:certification"]["gs1:certificationStatus"] == "gs1:CertificationStatus-INACTIVE"


def test_a_document_missing_a_field_does_not_validate(gx_entity):
    issue(gx_entity)
    document = json.loads(json.dumps(events()[0].payload))
    del document["epcisBody"]["eventList"][0]["sanpin:holderUSCC"]
    assert not VALIDATOR.is_valid(document)


STATUSES = ["valid", "in_rectification", "suspended", "stopped", "revoked"]


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(STATUSES), max_size=6))
def test_each_accepted_transition_is_exactly_one_event_and_each_refused_one_none(gx_entity, targets):
    cert = issue(gx_entity)  # a new number per example (examples share the test's transaction)
    accepted = []
    for status in targets:
        try:
            certificate_set_status(actor=system_user(), certificate=cert, status=status, reason="监管")
        except TransitionNotAllowed:
            continue
        accepted.append({"valid": "reinstated", "in_rectification": "rectification"}.get(status, status))
    assert [e.kind for e in events(certificate=cert)] == ["issued", *accepted]


# --- Delivery ---------------------------------------------------------------------------------------


def test_an_event_survives_a_receiver_that_fails_twice_and_is_delivered_once(
        gx_entity, platform, moving_clock, django_capture_on_commit_callbacks):
    # Given a platform that answers 500 and then 503 before it recovers
    platform.statuses = [500, 503]
    # When a licence is issued (the push runs once the change commits)
    with django_capture_on_commit_callbacks(execute=True):
        cert = issue(gx_entity)
    [event] = events()
    event.refresh_from_db()
    assert (event.status, event.attempts, event.response_code) == ("pending", 1, 500)
    # Then nothing is sent again before the first back-off (1 minute) has passed
    moving_clock.advance(59)
    assert services.push_pending()["retry"] == 0
    assert len(platform.requests) == 1
    moving_clock.advance(1)
    assert services.push_pending() == {"configured": True, "delivered": 0, "retry": 1, "failed": 0}
    # And the third attempt comes after the second back-off (5 minutes) and is delivered
    moving_clock.advance(299)
    assert services.push_pending()["delivered"] == 0
    moving_clock.advance(1)
    assert services.push_pending()["delivered"] == 1
    event.refresh_from_db()
    assert (event.status, event.attempts, event.response_code, event.last_error) == ("delivered", 3, 200, "")
    # And a delivered event is never sent again, however often the pusher runs
    moving_clock.advance(86400)
    services.push_pending()
    call_command("push_traceability", stdout=io.StringIO())
    assert [r["status"] for r in platform.requests] == [500, 503, 200]
    # And every attempt carried the same idempotency key, token and body
    assert {r["headers"]["Idempotency-Key"] for r in platform.requests} == {str(event.pk)}
    assert {r["headers"]["Authorization"] for r in platform.requests} == {"Bearer test-token"}
    assert len({r["body"] for r in platform.requests}) == 1
    body = json.loads(platform.requests[0]["body"])
    VALIDATOR.validate(body)
    assert body["epcisBody"]["eventList"][0]["sanpin:certificateNumber"] == cert.number


def test_an_unset_endpoint_sends_nothing_and_events_wait(
        gx_entity, receiver, settings, django_capture_on_commit_callbacks):
    settings.TRACEABILITY_ENDPOINT = ""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        issue(gx_entity)
    assert not any(getattr(c, "__name__", "") == "dispatch" for c in callbacks)
    assert services.push_pending() == {"configured": False, "delivered": 0, "retry": 0, "failed": 0}
    out = io.StringIO()
    call_command("push_traceability", stdout=out)
    assert "not set" in out.getvalue()
    [event] = events()
    assert (event.status, event.attempts) == ("pending", 0)
    assert receiver.requests == []
    # Once the endpoint is configured, the waiting event goes out
    settings.TRACEABILITY_ENDPOINT = receiver.url
    assert services.push_pending()["delivered"] == 1
    assert "Authorization" not in receiver.requests[0]["headers"]  # no token set


def test_after_the_last_attempt_the_event_is_failed_until_an_administrator_resends_it(
        gx_entity, platform, moving_clock, users):
    platform.statuses = [500] * services.MAX_ATTEMPTS
    issue(gx_entity)
    for delay in (0, *services.RETRY_DELAYS):
        moving_clock.advance(delay)
        services.push_pending()
    [event] = events()
    assert (event.status, event.attempts) == ("failed", 6)
    assert event.last_error == "HTTP 500 Internal Server Error"
    moving_clock.advance(10 ** 6)
    services.push_pending()
    assert len(platform.requests) == services.MAX_ATTEMPTS
    # An administrator re-sends it: audited, and it is delivered with the same id
    with pytest.raises(PermissionDenied):  # staff other than administrators may not
        services.event_resend(actor=users["national"], event=event)
    services.event_resend(actor=users["admin"], event=event)
    audit = AuditEvent.objects.filter(verb="traceability.resend").get()
    assert (audit.actor_id, audit.old["status"], audit.new["status"]) == (users["admin"].pk, "failed", "pending")
    services.push_pending()
    event.refresh_from_db()
    assert (event.status, event.attempts) == ("delivered", 1)
    assert platform.requests[-1]["headers"]["Idempotency-Key"] == str(event.pk)
    with pytest.raises(TransitionNotAllowed):
        services.event_resend(actor=users["admin"], event=event)


def test_events_of_one_certificate_go_out_in_order(gx_entity, platform, moving_clock):
    platform.statuses = [500]
    first = issue(gx_entity)
    moving_clock.advance(1)
    certificate_set_status(actor=system_user(), certificate=first, status="suspended", reason="监管")
    moving_clock.advance(1)
    other = issue(gx_entity, product_name="复合微生物肥料")
    # The first event fails; the suspension of the same licence waits for it, the other licence goes on
    assert services.push_pending() == {"configured": True, "delivered": 1, "retry": 1, "failed": 0}
    sent = [json.loads(r["body"])["epcisBody"]["eventList"][0] for r in platform.requests]
    assert [(e["sanpin:certificateNumber"], e["sanpin:eventKind"]) for e in sent] == [
        (first.number, "issued"), (other.number, "issued")]
    moving_clock.advance(60)
    assert services.push_pending()["delivered"] == 2
    sent = [json.loads(r["body"])["epcisBody"]["eventList"][0]["sanpin:eventKind"] for r in platform.requests[2:]]
    assert sent == ["issued", "suspended"]


def test_a_claimed_event_is_not_taken_by_a_second_worker(gx_entity, platform, moving_clock):
    issue(gx_entity)
    now = moving_clock.moment
    claimed = services._claim(now)
    assert claimed is not None and claimed.attempts == 1
    assert services._claim(now) is None  # leased: another worker finds nothing due
    # A worker that read the row before the claim loses the conditional update
    stale = OutboxEvent.objects.get(pk=claimed.pk)
    stale.attempts = 0
    assert not OutboxEvent.objects.filter(pk=stale.pk, status="pending", attempts=stale.attempts).exists()


def test_resend_all_failed_is_audited_per_event(gx_entity, platform, moving_clock, users):
    issue(gx_entity)
    issue(gx_entity, product_name="复合微生物肥料")
    OutboxEvent.objects.update(status="failed", attempts=6, last_error="HTTP 502 Bad Gateway")
    assert services.events_resend_failed(actor=users["admin"]) == 2
    assert AuditEvent.objects.filter(verb="traceability.resend").count() == 2
    assert set(OutboxEvent.objects.values_list("status", flat=True)) == {"pending"}
    with pytest.raises(TransitionNotAllowed):
        services.events_resend_failed(actor=users["admin"])


def test_the_daily_job_pushes_due_events(gx_entity, platform, moving_clock):
    from sanpin.certification.services import daily

    issue(gx_entity)
    result = daily()
    assert result["traceability"]["delivered"] == 1
    assert len(platform.requests) == 1


def test_the_shared_backoff_is_the_subscriptions_schedule():
    from sanpin.subscriptions import services as subscriptions

    assert services.RETRY_DELAYS == subscriptions.RETRY_DELAYS == (60, 300, 1500, 7500, 37500)
    assert services.MAX_ATTEMPTS == subscriptions.MAX_ATTEMPTS == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_pushers_send_each_event_once(gx_entity, platform):
    """Four pushers at once take different rows (SELECT … FOR UPDATE SKIP LOCKED) and every
    event goes out exactly once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; SKIP LOCKED is PostgreSQL's; CI runs this suite on PostgreSQL too")
    for i in range(8):
        issue(gx_entity, product_name=f"有机肥{i}")
    start = threading.Barrier(4)

    def pusher():
        try:
            start.wait(timeout=10)
            services.push_pending()
        finally:
            connection.close()

    threads = [threading.Thread(target=pusher) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    keys = [r["headers"]["Idempotency-Key"] for r in platform.requests]
    assert sorted(keys) == sorted(str(e.pk) for e in events())
    assert set(OutboxEvent.objects.values_list("status", flat=True)) == {"delivered"}
