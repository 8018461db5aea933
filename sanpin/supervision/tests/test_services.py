"""Rectification and revocation as services [004 §25–§27, 绿色食品标志管理办法 Art. 26]: one month to
rectify, answered in time or refused, accepted or failed by the province; a failed or unanswered
rectification becomes a revocation request; the national level revokes with causes, and the
certificate, the public verify result, the announcements and the bans follow at once."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanpin.accounts.models import system_user
from sanpin.certificates import selectors as certificate_selectors
from sanpin.certificates.models import AnnouncementItem, StatusChange
from sanpin.certificates.services import certificate_issue
from sanpin.certification import engine
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.supervision import services
from sanpin.supervision.models import ApplicationBan, Rectification, RevocationRequest

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% evidence\n"


def issue(scheme, holder, regions, **extra):
    category = {"green_inputs": "01", "green_food": "01"}[scheme]
    return certificate_issue(
        actor=system_user(), scheme=scheme, holder=holder, product_name="绿源牌生物有机肥", category=category,
        trademark="绿源", approved_output=Decimal("5000"), output_unit="吨", approved_on=date(2025, 1, 6),
        valid_from=date(2025, 1, 6), valid_until=date(2028, 1, 5), province=regions["450000"], **extra)


@pytest.fixture
def licence(users, regions, gx_entity, on_day):
    on_day(date(2025, 3, 31))
    return issue("green_inputs", gx_entity, regions)


def test_a_rectification_runs_one_calendar_month_and_puts_the_certificate_in_rectification(users, licence):
    rectification = services.rectification_open(actor=users["gx_province"], certificate=licence, cause="over_output",
                                                detail="2024 年实际销售量 6200 吨，超过核准产量", source="market_check")
    # 31 March + one month = 30 April (the last day of the shorter month) [004 §25]
    assert rectification.due_on == date(2025, 4, 30) and rectification.number.startswith("ZG2025")
    licence.refresh_from_db()
    assert licence.status == "in_rectification"
    assert certificate_selectors.verify(licence.number, date(2025, 4, 1)).result == "in_rectification"
    assert AuditEvent.objects.filter(verb="rectification.open").count() == 1
    # One at a time
    with pytest.raises(TransitionNotAllowed):
        services.rectification_open(actor=users["gx_province"], certificate=licence, cause="mark_misuse", detail="x")


def test_green_input_causes_are_exactly_those_of_the_rules(users, licence):
    with pytest.raises(ValidationFailed) as refused:
        services.rectification_open(actor=users["gx_province"], certificate=licence, cause="fraud", detail="x")
    assert "cause" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        services.revocation_request_open(actor=users["gx_province"], certificate=licence, causes=[], detail="x")
    assert "causes" in refused.value.fields  # a revocation without cause is refused
    from sanpin.supervision.causes import REVOCATION_CAUSES

    assert len(REVOCATION_CAUSES["green_inputs"]) == 7  # [004 §26]
    assert not Rectification.objects.exists() and not RevocationRequest.objects.exists()


def test_only_the_province_in_scope_decides_and_only_the_holder_answers(users, licence):
    with pytest.raises(NotFound):
        services.rectification_open(actor=users["sh_province"], certificate=licence, cause="over_output", detail="x")
    with pytest.raises(PermissionDenied):
        services.rectification_open(actor=users["gx_applicant"], certificate=licence, cause="over_output",
                                    detail="x")
    rectification = services.rectification_open(actor=users["gx_province"], certificate=licence,
                                                cause="mark_misuse", detail="包装未标注产品编号")
    with pytest.raises(PermissionDenied):
        services.rectification_answer(actor=users["gx_province"], rectification=rectification, answer="已整改")
    with pytest.raises(NotFound):
        services.rectification_answer(actor=users["sh_applicant"], rectification=rectification, answer="已整改")


def test_accepted_rectification_makes_the_certificate_valid_again(users, licence, on_day):
    rectification = services.rectification_open(actor=users["gx_province"], certificate=licence,
                                                cause="mark_misuse", detail="包装未标注产品编号")
    on_day(date(2025, 4, 20))
    services.rectification_answer(actor=users["gx_applicant"], rectification=rectification, answer="已更换包装",
                                  files=[SimpleUploadedFile("新包装.pdf", PDF, "application/pdf")])
    rectification.refresh_from_db()
    assert rectification.status == "answered" and rectification.evidence.count() == 1
    services.rectification_decide(actor=users["gx_province"], rectification=rectification, accepted=True,
                                  note="新包装符合要求")
    licence.refresh_from_db()
    assert licence.status == "valid"
    assert list(StatusChange.objects.filter(certificate=licence).values_list("to_status", flat=True)) == [
        "valid", "in_rectification", "valid"]


def test_an_answer_after_the_deadline_is_refused_and_the_job_turns_it_into_a_revocation_request(users, licence,
                                                                                               on_day):
    rectification = services.rectification_open(actor=users["gx_province"], certificate=licence,
                                                cause="over_output", detail="超产")
    on_day(date(2025, 5, 1))
    with pytest.raises(TransitionNotAllowed):
        services.rectification_answer(actor=users["gx_applicant"], rectification=rectification, answer="迟交")
    rectification.refresh_from_db()
    assert rectification.status == "open" and not rectification.answer
    # The daily job: unanswered after the month → failed, and a revocation request with cause (四)
    assert services.rectifications_overdue_process(date(2025, 4, 30)) == 0  # still the last day
    assert services.rectifications_overdue_process(date(2025, 5, 1)) == 1
    assert services.rectifications_overdue_process(date(2025, 5, 2)) == 0  # idempotent
    rectification.refresh_from_db()
    request = RevocationRequest.objects.get()
    assert rectification.status == "overdue" and request.rectification == rectification
    assert request.causes == ["rectification_failed"] and request.status == "pending"


def test_a_failed_rectification_is_reported_and_the_national_level_revokes(users, licence, on_day):
    rectification = services.rectification_open(actor=users["gx_province"], certificate=licence,
                                                cause="over_output", detail="超产")
    services.rectification_answer(actor=users["gx_applicant"], rectification=rectification, answer="已整改")
    services.rectification_decide(actor=users["gx_province"], rectification=rectification, accepted=False,
                                  note="仍超产")
    request = RevocationRequest.objects.get(certificate=licence)
    # The province cannot decide a revocation; the national level can
    with pytest.raises(PermissionDenied):
        services.revocation_decide(actor=users["gx_province"], request=request, revoke=True, note="x")
    on_day(date(2025, 4, 10))
    services.revocation_decide(actor=users["national"], request=request, revoke=True, note="整改不合格，取消")
    licence.refresh_from_db()
    assert licence.status == "revoked" and licence.recovered_on == date(2025, 4, 10)
    # At once: the public check says revoked, and the announcement lists it
    assert certificate_selectors.verify(licence.number, date(2025, 4, 10)).result == "revoked"
    item = AnnouncementItem.objects.get(certificate=licence)
    assert item.announcement.kind == "revocation"
    # Green inputs carry no ban on new applications
    assert not ApplicationBan.objects.exists()
    with pytest.raises(TransitionNotAllowed):
        services.revocation_decide(actor=users["national"], request=request, revoke=True, note="again")


def test_green_food_revocation_bars_new_applications_three_years_or_for_ever(users, regions, gx_entity, on_day):
    on_day(date(2025, 6, 2))
    rice = issue("green_food", gx_entity, regions)
    request = services.revocation_request_open(actor=users["gx_province"], certificate=rice,
                                               causes=["product_failed"], detail="抽检毒死蜱超标")
    services.revocation_decide(actor=users["national"], request=request, revoke=True, note="取消")
    ban = ApplicationBan.objects.get()
    assert (ban.scheme, ban.starts_on, ban.until) == ("green_food", date(2025, 6, 2), date(2028, 6, 2))
    assert services.active_ban(gx_entity, "green_food", date(2028, 6, 1)) == ban
    assert services.active_ban(gx_entity, "green_food", date(2028, 6, 2)) is None
    assert services.active_ban(gx_entity, "green_inputs", date(2026, 1, 1)) is None
    # The engine refuses a new green food application while the ban lasts
    with pytest.raises(ValidationFailed) as refused:
        engine.application_create(actor=users["gx_applicant"], scheme="green_food", kind="initial", entity=gx_entity,
                                  products=[{"name": "香米", "category": "01", "approved_output": "1"}])
    assert "2028-06-02" in str(refused.value.fields)

    serious = issue("green_food", gx_entity, regions)
    request = services.revocation_request_open(actor=users["gx_province"], certificate=serious, causes=["fraud"],
                                               detail="伪造检测报告")
    services.revocation_decide(actor=users["national"], request=request, revoke=True, note="情节严重", serious=True)
    assert ApplicationBan.objects.get(revocation=request).until is None
    assert services.active_ban(gx_entity, "green_food", date(2040, 1, 1)) is not None


def test_a_declined_request_changes_nothing_on_the_certificate(users, licence):
    request = services.revocation_request_open(actor=users["gx_province"], certificate=licence,
                                               causes=["contract_breach"], detail="未按合同缴纳管理费")
    with pytest.raises(Conflict):
        services.revocation_request_open(actor=users["gx_province"], certificate=licence,
                                         causes=["contract_breach"], detail="again")
    services.revocation_decide(actor=users["national"], request=request, revoke=False, note="已补缴，不予取消")
    licence.refresh_from_db()
    assert licence.status == "valid" and request.__class__.objects.get().status == "declined"


def test_the_daily_job_closes_unanswered_rectifications(users, licence):
    from sanpin.certification.services import daily

    services.rectification_open(actor=users["gx_province"], certificate=licence, cause="over_output", detail="超产")
    assert daily(today=date(2025, 5, 1))["rectifications_overdue"] == 1
    assert RevocationRequest.objects.filter(certificate=licence, status="pending").exists()
