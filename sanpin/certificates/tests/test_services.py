"""Issuing, renewing, changing and stopping licences; history; announcements."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanpin.accounts.models import system_user
from sanpin.certificates import services
from sanpin.certificates.choices import Status
from sanpin.certificates.models import Certificate, CertificateChange, StatusChange
from sanpin.certificates.services import TRANSITIONS, green_inputs_validity
from sanpin.certificates.tests.factories import issue
from sanpin.core.errors import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db
APPROVED = datetime.date(2025, 3, 10)


def renew(old, **extra):
    valid_from = old.valid_until + datetime.timedelta(days=1)
    return issue(old.holder, approved_on=datetime.date(2027, 12, 20), valid_from=valid_from,
                 valid_until=green_inputs_validity(valid_from), predecessor=old, **extra)


def test_validity_is_three_years_from_approval_less_one_day():
    assert green_inputs_validity(datetime.date(2025, 3, 10)) == datetime.date(2028, 3, 9)
    assert green_inputs_validity(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)
    assert green_inputs_validity(datetime.date(2025, 1, 1)) == datetime.date(2027, 12, 31)


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31)))
def test_validity_always_ends_the_day_before_the_third_anniversary(day):
    until = green_inputs_validity(day)
    anniversary = until + datetime.timedelta(days=1)
    assert anniversary.year == day.year + 3
    assert (anniversary.month, anniversary.day) == ((day.month, day.day) if (day.month, day.day) != (2, 29) else (3, 1))


def test_given_an_issued_licence_then_history_and_audit_record_the_issue(gx_entity):
    certificate = issue(gx_entity, approved_on=APPROVED)

    assert certificate.status == Status.VALID
    assert list(certificate.status_changes.values_list("from_status", "to_status")) == [("", "valid")]
    assert AuditEvent.objects.filter(verb="certificate.issue", target_id=str(certificate.pk)).count() == 1


def test_a_renewal_keeps_the_number_and_starts_the_day_after(gx_entity):
    old = issue(gx_entity, approved_on=APPROVED)

    new = renew(old)

    assert new.number == old.number
    assert new.valid_from == datetime.date(2028, 3, 10)
    assert new.predecessor == old
    old.refresh_from_db()
    assert old.renewed is True
    assert AuditEvent.objects.filter(verb="certificate.renew").count() == 1


def test_a_licence_cannot_be_renewed_twice(gx_entity):
    old = issue(gx_entity, approved_on=APPROVED)
    renew(old)

    with pytest.raises(ValidationFailed) as refused:
        renew(Certificate.objects.get(pk=old.pk))

    assert "predecessor" in refused.value.fields


def test_a_renewal_must_not_overlap_its_predecessor(gx_entity):
    old = issue(gx_entity, approved_on=APPROVED)

    with pytest.raises(ValidationFailed) as refused:
        issue(gx_entity, approved_on=datetime.date(2027, 12, 20), valid_from=old.valid_until,
              valid_until=green_inputs_validity(old.valid_until), predecessor=old)

    assert "valid_from" in refused.value.fields


def test_the_same_number_cannot_be_issued_twice(gx_entity, sh_entity):
    held = issue(gx_entity, approved_on=APPROVED)

    with pytest.raises(Conflict) as refused:
        issue(sh_entity, approved_on=APPROVED, number=held.number)

    assert refused.value.code == "duplicate"
    assert Certificate.objects.filter(number=held.number).count() == 1


def test_a_renewal_may_not_take_another_licences_number(gx_entity):
    old = issue(gx_entity, approved_on=APPROVED)
    other = issue(gx_entity, approved_on=APPROVED, product_name="叶面肥")

    with pytest.raises(ValidationFailed) as refused:
        renew(old, number=other.number)

    assert "number" in refused.value.fields


def test_bad_input_names_each_field_and_writes_nothing(gx_entity):
    with pytest.raises(ValidationFailed) as refused:
        issue(gx_entity, product_name=" ", category="07", approved_output="-1", output_unit="")

    assert set(refused.value.fields) >= {"product_name", "category", "approved_output", "output_unit"}
    assert not Certificate.objects.exists()


def test_only_national_staff_issue(gx_entity, users):
    with pytest.raises(PermissionDenied):
        issue(gx_entity, actor=users["gx_province"])

    assert issue(gx_entity, actor=users["national"]).number.startswith("LSSZ-01-")


def test_expired_is_computed_at_read_time(gx_entity):
    certificate = issue(gx_entity, approved_on=APPROVED)
    last_day = certificate.valid_until

    assert certificate.effective_status(last_day) == "valid"
    assert certificate.effective_status(last_day + datetime.timedelta(days=1)) == "expired"
    assert list(Certificate.objects.effective("expired", last_day + datetime.timedelta(days=1))) == [certificate]
    assert not Certificate.objects.effective("valid", last_day + datetime.timedelta(days=1)).exists()
    annotated = Certificate.objects.with_effective_status(last_day + datetime.timedelta(days=1)).get()
    assert annotated.effective == "expired"
    certificate.refresh_from_db()
    assert certificate.status == Status.VALID  # nothing was written


@pytest.mark.parametrize("source", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_the_transition_table(gx_entity, source, target):
    certificate = issue(gx_entity, approved_on=datetime.date.today())
    Certificate.objects.filter(pk=certificate.pk).update(status=source)
    certificate.refresh_from_db()

    if target in TRANSITIONS[source]:
        services.certificate_set_status(actor=system_user(), certificate=certificate, status=target, reason="依据")
        certificate.refresh_from_db()
        assert certificate.status == target
        assert certificate.status_changes.last().to_status == target
    else:
        with pytest.raises(TransitionNotAllowed):
            services.certificate_set_status(actor=system_user(), certificate=certificate, status=target, reason="依据")
        certificate.refresh_from_db()
        assert certificate.status == source


def test_revoked_and_stopped_are_final():
    assert TRANSITIONS[Status.REVOKED] == frozenset()
    assert TRANSITIONS[Status.STOPPED] == frozenset()


def test_a_status_change_needs_a_reason(gx_entity):
    certificate = issue(gx_entity)
    with pytest.raises(ValidationFailed) as refused:
        services.certificate_set_status(actor=system_user(), certificate=certificate, status="suspended", reason="")
    assert "reason" in refused.value.fields


def test_revoking_a_renewed_licence_revokes_the_term_in_force_too(gx_entity):
    old = issue(gx_entity, approved_on=datetime.date.today() - datetime.timedelta(days=900))
    new = renew(old)

    services.certificate_set_status(actor=system_user(), certificate=new, status="revoked", reason="违规添加禁用品")

    assert set(Certificate.objects.filter(number=old.number).values_list("status", flat=True)) == {"revoked"}


def test_the_status_history_is_append_only(gx_entity):
    certificate = issue(gx_entity)
    entry = certificate.status_changes.get()
    entry.reason = "改写"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_a_change_keeps_old_and_new_values(gx_entity):
    certificate = issue(gx_entity)

    services.certificate_change(actor=system_user(), certificate=certificate,
                                changes={"trademark": "绿源牌", "approved_output": Decimal("6000")},
                                reason="扩产", reference="LS-2026-0042")

    certificate.refresh_from_db()
    assert (certificate.trademark, certificate.approved_output) == ("绿源牌", Decimal("6000"))
    change = CertificateChange.objects.get()
    assert change.old == {"trademark": "绿源", "approved_output": "5000.000"}
    assert change.new == {"trademark": "绿源牌", "approved_output": "6000"}
    assert change.reference == "LS-2026-0042"


def test_a_change_refuses_fields_outside_the_licence(gx_entity):
    certificate = issue(gx_entity)
    with pytest.raises(ValidationFailed) as refused:
        services.certificate_change(actor=system_user(), certificate=certificate,
                                    changes={"number": "LSSZ-01-0000000000", "approved_output": "x"}, reason="")
    assert set(refused.value.fields) == {"number", "approved_output"}


def test_the_licence_is_recovered_only_after_stop_or_revocation(gx_entity):
    certificate = issue(gx_entity)
    with pytest.raises(TransitionNotAllowed):
        services.certificate_recover(actor=system_user(), certificate=certificate, recovered_on=datetime.date.today())

    services.certificate_set_status(actor=system_user(), certificate=certificate, status="stopped",
                                    reason="丧失生产条件 [004 §22]")
    services.certificate_recover(actor=system_user(), certificate=certificate, recovered_on=datetime.date.today())

    certificate.refresh_from_db()
    assert certificate.recovered_on == datetime.date.today()
    assert StatusChange.objects.filter(certificate=certificate).count() == 3


def test_an_announcement_freezes_what_was_announced(gx_entity, users):
    certificate = issue(gx_entity)

    announcement = services.announcement_publish(actor=users["national"], title="2025 年第 1 批绿色生资获证产品公告",
                                                 kind="approval", certificates=[certificate])
    services.certificate_change(actor=system_user(), certificate=certificate, changes={"product_name": "新名称"},
                                reason="更名")

    item = announcement.items.get()
    assert (item.enterprise_name, item.product_name, item.number) == (gx_entity.name, "生物有机肥", certificate.number)


def test_a_revocation_announcement_lists_only_revoked_licences(gx_entity, users):
    certificate = issue(gx_entity)
    with pytest.raises(ValidationFailed) as refused:
        services.announcement_publish(actor=users["national"], title="取消公告", kind="revocation",
                                      certificates=[certificate])
    assert "certificates" in refused.value.fields
