"""The audit trail: written with the change, append-only, and any edit is detected."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from sanpin.core import audit
from sanpin.core.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def write_events(actor, target, n=3):
    for i in range(n):
        with transaction.atomic():
            audit.record(actor=actor, verb="entity.update", target=target, old={"phone": i}, new={"phone": i + 1},
                         reason=f"第{i}次更正")


def tamper(sql, params):
    """What someone with direct database access would do: switch the guard off and edit."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks may block ALTER
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
            cursor.execute(sql, params)


def test_events_chain_and_verify(users, gx_entity):
    write_events(users["gx_province"], gx_entity)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert events[0].target_type == "catalog.entity" and events[0].target_id == str(gx_entity.pk)
    report = audit.verify_chain()
    assert report.ok and report.checked == 3


def test_an_edited_row_is_detected_with_its_position(users, gx_entity):
    write_events(users["gx_province"], gx_entity, n=4)
    target = AuditEvent.objects.get(seq=2)
    tamper("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["改过的理由", target.pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_broken_seq == 2
    with pytest.raises(CommandError, match="seq 2"):
        call_command("verify_audit_chain")


def test_a_deleted_row_is_detected(users, gx_entity):
    write_events(users["gx_province"], gx_entity, n=4)
    tamper("DELETE FROM core_auditevent WHERE seq = %s", [3])
    report = audit.verify_chain()
    assert not report.ok and report.first_broken_seq == 3


def test_a_deleted_last_row_is_detected(users, gx_entity):
    write_events(users["gx_province"], gx_entity, n=2)
    tamper("DELETE FROM core_auditevent WHERE seq = %s", [2])
    report = audit.verify_chain()
    assert not report.ok and report.first_broken_seq == 2


def test_rows_cannot_be_changed_through_the_orm_or_sql(users, gx_entity):
    write_events(users["gx_province"], gx_entity, n=1)
    event = AuditEvent.objects.get()
    event.reason = "改"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(reason="改")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'x'")


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction_or_without_an_actor(users, gx_entity):
    with pytest.raises(RuntimeError):
        audit.record(actor=users["national"], verb="x", target=gx_entity)
    with pytest.raises(ValueError), transaction.atomic():
        audit.record(actor=None, verb="x", target=gx_entity)


def test_a_rolled_back_change_leaves_no_audit_row(users, gx_entity):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor=users["national"], verb="entity.update", target=gx_entity)
        1 / 0  # noqa: B018 - the change fails after the audit row was written
    assert not AuditEvent.objects.exists()
    assert audit.verify_chain().ok


def test_audit_pages_are_for_national_staff_only(client, users, gx_entity):
    write_events(users["gx_province"], gx_entity, n=2)
    client.force_login(users["gx_province"])
    assert client.get("/core/audit/").status_code == 403
    client.force_login(users["national"])
    page = client.get("/core/audit/?verb=entity")
    assert page.status_code == 200 and "entity.update" in page.content.decode()
    assert "审计链完整" in client.get("/core/audit/verify/").content.decode()
    assert client.get("/core/audit/1/").status_code == 200
    assert client.get("/core/audit/999/").status_code == 404
    bad = client.get("/core/audit/?date_from=2026-05-01&date_to=2026-01-01")
    assert "截止日期不能早于起始日期" in bad.content.decode()
