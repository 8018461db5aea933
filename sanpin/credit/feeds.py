"""What the other modules tell the credit file. Each feed records one CreditEvent per fact,
idempotently (kind + source is unique), inside the transaction of the change it records, so a
rolled-back change leaves no event behind.

The receivers listen to post_save of models those modules already write through their services,
and to the certificates app's `certificate_changing` signal (connected in CreditConfig.ready): the
lower apps do not know this one exists.

- sampling.LabReport created → sampling_failed / sampling_passed (day sampled, else day reported);
- supervision.Rectification saved as accepted, answered by its deadline → rectification_closed_on_time;
  saved as overdue → rectification_overdue;
- supervision.RevocationRequest saved as revoked → revocation;
- compliance.Violation created → compliance_violation;
- a renewal term issued (certificates.signals.certificate_changing, kind "renewed", sent inside the
  issuing transaction) for a renewal application (the certificate's reference is its number) →
  renewal_on_time when the application was submitted by the scheme's last day for a renewal
  (SchemeConfig.renewal_latest_day of the old term's expiry: its renewal_min_days_before_expiry, or
  the months where the rule counts months), renewal_late otherwise (organic accepts late renewals
  before expiry); the day is the new term's approval day. A renewal term issued without an
  application (imported records) is not judged: its submission day is unknown;
- inspections.InspectionRecord created with a conclusion other than pass (限期整改 or 不合格: the
  annual inspection found the holder failing; its rectification or revocation is fed on its own)
  → inspection_failed, for the inspected entity on the inspection day;
- oversight.FlightInspection saved as recorded with a conclusion other than pass (限期整改 or
  报请取消) → inspection_failed, for the certificate's holder on the inspection day;
- oversight.Complaint saved as closed with the result 举报属实 and a certificate named (so an
  entity to charge) → complaint_upheld, for the certificate's holder on the day it was closed;
- promotion.AwardList saved as published → award ("品牌+信用"), one per entry, for the entry's
  certificate holder on the publishing day.

Feed events carry no audit event of their own: the change that caused them is audited by its
service, and the event names it as its source."""

import datetime

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import CreditKind
from .models import CreditEvent


def _day(moment) -> datetime.date:
    return timezone.localdate(moment) if moment else None


def record(*, kind: str, entity, occurred_on: datetime.date, source, summary: str,
           evidence: str = "", recorded_by=None) -> tuple[CreditEvent, bool]:
    """Record a fed event once: `source` is a saved model instance (its app.model label and pk
    identify the fact). Returns (event, created)."""
    from sanpin.accounts.models import system_user

    source_type, source_id = source._meta.label_lower, str(source.pk)
    with transaction.atomic():
        return CreditEvent.objects.get_or_create(
            kind=kind, source_type=source_type, source_id=source_id,
            defaults={"entity": entity, "occurred_on": occurred_on, "summary": summary[:300], "evidence": evidence,
                      "recorded_by": recorded_by or system_user()})


def on_lab_report(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    from sanpin.sampling.models import Conclusion

    task = instance.task
    certificate = task.certificate
    failed = instance.conclusion == Conclusion.FAIL
    record(kind=CreditKind.SAMPLING_FAILED if failed else CreditKind.SAMPLING_PASSED, entity=certificate.holder,
           occurred_on=instance.sampled_on or _day(instance.submitted_at), source=instance,
           summary=_("抽检任务 %(task)s：%(product)s（%(n)s）检测%(result)s") % {
               "task": task.number, "product": certificate.product_name, "n": certificate.number,
               "result": _("不合格") if failed else _("合格")},
           evidence=instance.report_number)


def on_rectification(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from sanpin.supervision.models import RectificationStatus

    certificate = instance.certificate
    if instance.status == RectificationStatus.ACCEPTED:
        if not instance.answered_at or _day(instance.answered_at) > instance.due_on:
            return
        kind, summary = CreditKind.RECTIFICATION_CLOSED_ON_TIME, _("整改 %(r)s（%(n)s）按期整改合格")
    elif instance.status == RectificationStatus.OVERDUE:
        kind, summary = CreditKind.RECTIFICATION_OVERDUE, _("整改 %(r)s（%(n)s）逾期未整改")
    else:
        return
    record(kind=kind, entity=certificate.holder, occurred_on=_day(instance.decided_at) or instance.due_on,
           source=instance, summary=summary % {"r": instance.number, "n": certificate.number},
           evidence=instance.decision_note)


def on_revocation(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from sanpin.supervision.models import RevocationStatus

    if instance.status != RevocationStatus.REVOKED:
        return
    certificate = instance.certificate
    record(kind=CreditKind.REVOCATION, entity=certificate.holder, occurred_on=_day(instance.decided_at),
           source=instance, summary=_("%(product)s（%(n)s）被取消标志使用权（%(req)s）") % {
               "product": certificate.product_name, "n": certificate.number, "req": instance.number},
           evidence=instance.decision_note)


def on_violation(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    record(kind=CreditKind.COMPLIANCE_VIOLATION, entity=instance.entity, occurred_on=instance.occurred_on,
           source=instance, summary=_("合格证违规：%s") % instance.get_kind_display(), evidence=instance.detail,
           recorded_by=instance.reported_by)


def on_certificate_changing(sender, *, certificate, kind, **kwargs):
    if kind != "renewed" or certificate.predecessor_id is None or not certificate.reference:
        return
    from sanpin.certification.choices import ApplicationKind
    from sanpin.certification.models import Application
    from sanpin.certification.schemes import SCHEMES

    application = Application.objects.filter(number=certificate.reference, kind=ApplicationKind.RENEWAL,
                                             submitted_at__isnull=False).first()
    config = SCHEMES.get(certificate.scheme)
    if application is None or config is None:
        return
    old = certificate.predecessor
    submitted, latest = _day(application.submitted_at), config.renewal_latest_day(old.valid_until)
    on_time = submitted <= latest
    summary = (_("%(product)s（%(old)s）按期申请续展（%(day)s 提出，最迟 %(latest)s），换发 %(new)s") if on_time else
               _("%(product)s（%(old)s）逾期申请续展（%(day)s 提出，最迟应于 %(latest)s），换发 %(new)s"))
    record(kind=CreditKind.RENEWAL_ON_TIME if on_time else CreditKind.RENEWAL_LATE, entity=certificate.holder,
           occurred_on=certificate.approved_on, source=certificate,
           summary=summary % {"product": certificate.product_name, "old": old.number, "new": certificate.number,
                              "day": submitted.isoformat(), "latest": latest.isoformat()},
           evidence=application.number)


def on_inspection_record(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    from sanpin.inspections.models import Conclusion

    if instance.conclusion == Conclusion.PASS:
        return
    item = instance.item
    record(kind=CreditKind.INSPECTION_FAILED, entity=item.entity, occurred_on=instance.inspected_on, source=instance,
           summary=_("%(year)s 年度检查 %(n)s：%(conclusion)s") % {
               "year": item.plan.year, "n": instance.number, "conclusion": instance.get_conclusion_display()},
           evidence=instance.findings)


def on_flight_inspection(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from sanpin.oversight.models import FlightConclusion, FlightStatus

    if instance.status != FlightStatus.RECORDED or instance.conclusion in ("", FlightConclusion.PASS):
        return
    certificate = instance.certificate
    record(kind=CreditKind.INSPECTION_FAILED, entity=certificate.holder, occurred_on=instance.inspected_on,
           source=instance, summary=_("飞行检查 %(n)s（%(cert)s）：%(conclusion)s") % {
               "n": instance.number, "cert": certificate.number, "conclusion": instance.get_conclusion_display()},
           evidence=instance.findings)


def on_complaint(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from sanpin.oversight.models import ComplaintResult, ComplaintStatus

    if instance.status != ComplaintStatus.CLOSED or instance.result != ComplaintResult.UPHELD:
        return
    if instance.certificate_id is None:
        return
    certificate = instance.certificate
    record(kind=CreditKind.COMPLAINT_UPHELD, entity=certificate.holder,
           occurred_on=_day(instance.closed_at or instance.updated_at), source=instance,
           summary=_("举报 %(code)s 查实：%(product)s（%(cert)s）") % {
               "code": instance.tracking_code, "product": instance.product_name, "cert": certificate.number},
           evidence=instance.findings)


def on_award_list(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from sanpin.promotion.choices import AwardListStatus

    if instance.status != AwardListStatus.PUBLISHED:
        return
    for entry in instance.entries.select_related("certificate__holder"):
        certificate = entry.certificate
        record(kind=CreditKind.AWARD, entity=certificate.holder, occurred_on=instance.published_on, source=entry,
               summary=_("%(list)s：%(product)s（%(cert)s）获%(award)s") % {
                   "list": instance.title, "product": entry.product, "cert": certificate.number,
                   "award": entry.award},
               evidence=instance.source)


def connect() -> None:
    from sanpin.certificates.signals import certificate_changing
    from sanpin.compliance.models import Violation
    from sanpin.inspections.models import InspectionRecord
    from sanpin.oversight.models import Complaint, FlightInspection
    from sanpin.promotion.models import AwardList
    from sanpin.sampling.models import LabReport
    from sanpin.supervision.models import Rectification, RevocationRequest

    post_save.connect(on_lab_report, sender=LabReport, dispatch_uid="credit.on_lab_report")
    post_save.connect(on_rectification, sender=Rectification, dispatch_uid="credit.on_rectification")
    post_save.connect(on_revocation, sender=RevocationRequest, dispatch_uid="credit.on_revocation")
    post_save.connect(on_violation, sender=Violation, dispatch_uid="credit.on_violation")
    certificate_changing.connect(on_certificate_changing, dispatch_uid="credit.on_certificate_changing")
    post_save.connect(on_inspection_record, sender=InspectionRecord, dispatch_uid="credit.on_inspection_record")
    post_save.connect(on_flight_inspection, sender=FlightInspection, dispatch_uid="credit.on_flight_inspection")
    post_save.connect(on_complaint, sender=Complaint, dispatch_uid="credit.on_complaint")
    post_save.connect(on_award_list, sender=AwardList, dispatch_uid="credit.on_award_list")
