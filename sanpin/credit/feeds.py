"""What the other modules tell the credit file. Each feed records one CreditEvent per fact,
idempotently (kind + source is unique), inside the transaction of the change it records, so a
rolled-back change leaves no event behind.

The receivers listen to post_save of models those modules already write through their services
(connected in CreditConfig.ready): the lower apps do not know this one exists.

- sampling.LabReport created → sampling_failed / sampling_passed (day sampled, else day reported);
- supervision.Rectification saved as accepted, answered by its deadline → rectification_closed_on_time;
  saved as overdue → rectification_overdue;
- supervision.RevocationRequest saved as revoked → revocation;
- compliance.Violation created → compliance_violation.

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


def connect() -> None:
    from sanpin.compliance.models import Violation
    from sanpin.sampling.models import LabReport
    from sanpin.supervision.models import Rectification, RevocationRequest

    post_save.connect(on_lab_report, sender=LabReport, dispatch_uid="credit.on_lab_report")
    post_save.connect(on_rectification, sender=Rectification, dispatch_uid="credit.on_rectification")
    post_save.connect(on_revocation, sender=RevocationRequest, dispatch_uid="credit.on_revocation")
    post_save.connect(on_violation, sender=Violation, dispatch_uid="credit.on_violation")
