"""Signing up with certificates, the organiser's review, and the flags set when a certificate may
no longer be shown: at once when it is revoked or suspended, and by the day-before check."""

import datetime

import pytest
from django.core.management import call_command

from sanpin.certificates.services import certificate_set_status
from sanpin.core.errors import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.notifications.models import Notification

from .. import day_before, services
from ..choices import FlagSource, ParticipationStatus
from ..models import Participation, ShownCertificate
from .factories import certificate, event, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(users, agencies, today):
    return event(users["sh_province"], agencies["sh"], starts_on=datetime.date(2026, 5, 20))


def _nothing_written():
    assert not Participation.objects.exists()
    assert not ShownCertificate.objects.exists()
    assert not AuditEvent.objects.filter(verb="promotion.participation.sign_up").exists()


def test_an_entity_signs_up_with_its_valid_certificate(users, sh_entity, fair, django_capture_on_commit_callbacks):
    own = certificate(sh_entity)
    with django_capture_on_commit_callbacks(execute=True):
        participation = sign_up(users["sh_applicant"], fair, [own], products="有机肥\n生物有机肥\n")
    assert participation.status == ParticipationStatus.PENDING
    assert participation.product_list == ["有机肥", "生物有机肥"]
    assert [s.certificate for s in participation.shown.all()] == [own]
    assert Notification.objects.filter(recipient=users["sh_province"], title__contains=fair.title).exists()


def test_sign_up_without_a_certificate_is_refused(users, fair):
    with pytest.raises(ValidationFailed) as refused:
        sign_up(users["sh_applicant"], fair, [])
    assert "至少一个" in refused.value.fields["certificates"][0]
    _nothing_written()


def test_sign_up_with_another_entitys_certificate_is_refused(users, gx_entity, sh_entity, fair):
    theirs = certificate(gx_entity)
    own = certificate(sh_entity)
    with pytest.raises(ValidationFailed) as refused:
        sign_up(users["sh_applicant"], fair, [own, theirs])
    assert refused.value.fields["certificates"] == [f"证书 {theirs.number} 不是本单位持有的证书"]
    _nothing_written()


def test_sign_up_with_an_expired_or_suspended_certificate_is_refused(users, sh_entity, fair):
    expired = certificate(sh_entity, approved_on=datetime.date(2023, 1, 5))  # valid until 2026-01-04
    suspended = certificate(sh_entity)
    certificate_set_status(actor=users["national"], certificate=suspended, status="suspended", reason="抽检不合格")
    with pytest.raises(ValidationFailed) as refused:
        sign_up(users["sh_applicant"], fair, [expired, suspended])
    problems = refused.value.fields["certificates"]
    assert "已于 2026-01-04 到期" in problems[0]
    assert "暂停使用" in problems[1]
    _nothing_written()


def test_sign_up_only_while_open_and_once(users, sh_entity, agencies, fair, on_day):
    own = certificate(sh_entity)
    sign_up(users["sh_applicant"], fair, [own])
    with pytest.raises(Conflict):
        sign_up(users["sh_applicant"], fair, [own])
    draft = event(users["sh_province"], agencies["sh"], open_=False, title="草稿活动")
    with pytest.raises(TransitionNotAllowed):
        sign_up(users["sh_applicant"], draft, [own])
    on_day(fair.signup_deadline + datetime.timedelta(days=1))
    late = event(users["sh_province"], agencies["sh"], starts_on=datetime.date(2026, 6, 20), title="另一活动")
    on_day(late.signup_deadline + datetime.timedelta(days=1))
    with pytest.raises(TransitionNotAllowed):
        sign_up(users["sh_applicant"], late, [own])
    with pytest.raises(PermissionDenied):
        sign_up(users["sh_province"], late, [own])
    assert Participation.objects.count() == 1


def test_the_organiser_approves_or_rejects_with_a_reason(users, sh_entity, gx_entity, fair):
    from sanpin.accounts.tests.factories import UserFactory

    approved = sign_up(users["sh_applicant"], fair, [certificate(sh_entity)])
    other = UserFactory(username="gx2", roles=["applicant"], entity=gx_entity)
    rejected = sign_up(other, fair, [certificate(gx_entity)])
    services.participation_decide(actor=users["sh_province"], participation=approved, action="approve")
    with pytest.raises(ValidationFailed):
        services.participation_decide(actor=users["sh_province"], participation=rejected, action="reject")
    services.participation_decide(actor=users["sh_province"], participation=rejected, action="reject",
                                  note="展位已满")
    with pytest.raises(TransitionNotAllowed):
        services.participation_decide(actor=users["sh_province"], participation=approved, action="reject",
                                      note="改主意")
    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert (approved.status, rejected.status) == (ParticipationStatus.APPROVED, ParticipationStatus.REJECTED)


def test_revoking_a_certificate_flags_its_participation_at_once(users, sh_entity, fair,
                                                               django_capture_on_commit_callbacks):
    shown, other = certificate(sh_entity), certificate(sh_entity, product_name="复合肥")
    participation = sign_up(users["sh_applicant"], fair, [shown, other])
    services.participation_decide(actor=users["sh_province"], participation=participation, action="approve")
    with django_capture_on_commit_callbacks(execute=True):
        certificate_set_status(actor=users["national"], certificate=shown, status="revoked", reason="抽检不合格")
    flagged = ShownCertificate.objects.get(participation=participation, certificate=shown)
    assert flagged.flagged_on == datetime.date(2026, 5, 11)
    assert flagged.flag_source == FlagSource.CERTIFICATE_CHANGE
    assert "已取消" in flagged.flag_reason
    assert not ShownCertificate.objects.get(participation=participation, certificate=other).flagged
    assert AuditEvent.objects.filter(verb="promotion.participation.flag").count() == 1
    assert Notification.objects.filter(recipient=users["sh_applicant"], title__contains="不能展示").exists()
    assert Notification.objects.filter(recipient=users["sh_province"], title__contains="不能展示").exists()


def test_a_rolled_back_revocation_flags_nothing(users, sh_entity, fair):
    from django.db import transaction

    shown = certificate(sh_entity)
    sign_up(users["sh_applicant"], fair, [shown])

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        certificate_set_status(actor=users["national"], certificate=shown, status="suspended", reason="核查")
        raise Undo
    assert not ShownCertificate.objects.filter(flagged_on__isnull=False).exists()


def test_a_past_event_is_not_flagged(users, sh_entity, fair, on_day):
    shown = certificate(sh_entity)
    sign_up(users["sh_applicant"], fair, [shown])
    on_day(fair.ends_on + datetime.timedelta(days=1))
    certificate_set_status(actor=users["national"], certificate=shown, status="revoked", reason="抽检不合格")
    assert not ShownCertificate.objects.filter(flagged_on__isnull=False).exists()


def test_the_day_before_check_flags_a_certificate_expiring_before_the_event(users, sh_entity, agencies, today,
                                                                          on_day):
    # Valid until 2026-05-21: valid at sign-up, but ends on the second day of a 20–22 May fair.
    expiring = certificate(sh_entity, approved_on=datetime.date(2023, 5, 22))
    fine = certificate(sh_entity, product_name="复合肥")
    fair = event(users["sh_province"], agencies["sh"], starts_on=datetime.date(2026, 5, 20))
    participation = sign_up(users["sh_applicant"], fair, [expiring, fine])
    services.participation_decide(actor=users["sh_province"], participation=participation, action="approve")

    on_day(datetime.date(2026, 5, 18))  # two days before: not this event's turn yet
    assert day_before.check_upcoming() == {"events": 0, "flagged": 0}
    on_day(datetime.date(2026, 5, 19))
    assert day_before.check_upcoming() == {"events": 1, "flagged": 1}
    row = ShownCertificate.objects.get(certificate=expiring)
    assert row.flagged_on == datetime.date(2026, 5, 19)
    assert row.flag_source == FlagSource.DAY_BEFORE
    assert "早于活动结束日 2026-05-22" in row.flag_reason
    assert not ShownCertificate.objects.get(certificate=fine).flagged
    # Idempotent: a second run flags nothing more.
    call_command("promotion_check_upcoming", "--on", "2026-05-19", verbosity=0)
    assert AuditEvent.objects.filter(verb="promotion.participation.flag").count() == 1


def test_the_day_before_check_skips_participants_not_approved(users, sh_entity, agencies, today, on_day):
    expiring = certificate(sh_entity, approved_on=datetime.date(2023, 5, 20))  # until 2026-05-19
    fair = event(users["sh_province"], agencies["sh"], starts_on=datetime.date(2026, 5, 20))
    sign_up(users["sh_applicant"], fair, [expiring])
    on_day(datetime.date(2026, 5, 19))
    assert day_before.check_upcoming() == {"events": 1, "flagged": 0}


def test_the_daily_task_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="promotion.check_upcoming", enabled=True).exists()
