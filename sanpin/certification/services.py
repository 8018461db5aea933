"""Application materials and the periodic deadline job. (Moves of the state are in engine.py.)"""

import hashlib
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.accounts.models import system_user
from sanpin.core import audit, clock
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed

from .choices import DRAFT, RECTIFICATION, SUPPLEMENT, AttachmentKind, Level
from .models import Attachment
from .notifications import _send, application_url, recipients_for_level
from .schemes import scheme_config

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Accepted by content, not by the name the uploader gave: PDF, JPEG, PNG and Office (zip) files.
SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"PK\x03\x04", "application/zip", (".docx", ".xlsx", ".zip")),
)
APPLICANT_UPLOAD_STATES = frozenset({DRAFT, SUPPLEMENT, RECTIFICATION})


def sniff(head: bytes, filename: str) -> str:
    lower = filename.lower()
    for magic, content_type, extensions in SIGNATURES:
        if head.startswith(magic):
            if not lower.endswith(extensions):
                raise ValidationFailed(fields={"file": _("文件内容与扩展名不符")})
            return content_type
    raise ValidationFailed(fields={"file": _("只接受 PDF、JPG、PNG 或 Office 文档（docx、xlsx）")})


@transaction.atomic
def attachment_add(*, actor, application, kind: str, upload) -> Attachment:
    """Store a material privately. Applicants add materials while drafting or answering a
    supplement or rectification; staff in scope and assignees may add reports at any open step."""
    if kind not in AttachmentKind.values:
        raise ValidationFailed(fields={"kind": _("材料类型不正确")})
    is_applicant = Role.APPLICANT in actor.roles and actor.entity_id == application.entity_id
    if is_applicant:
        if application.state not in APPLICANT_UPLOAD_STATES:
            raise Conflict(_("当前环节不能上传材料；需补正或整改时可再上传"))
    elif not (actor.roles & (REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.EXPERT, Role.LAB})):
        raise PermissionDenied()
    elif not application.is_open:
        raise Conflict(_("申请已办结，不能再上传材料"))
    if upload is None or not upload.size:
        raise ValidationFailed(fields={"file": _("请选择文件（文件不能为空）")})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(fields={"file": _("文件不能超过 20 MB")})
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
    upload.seek(0)
    content_type = sniff(upload.read(16), name)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    from .engine import current_step

    attachment = Attachment(application=application, step=current_step(application), kind=kind, filename=name,
                            content_type=content_type, size=upload.size, sha256=digest.hexdigest(),
                            uploaded_by=actor)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.record(actor=actor, verb="application.attachment_add", target=application,
                 new={"kind": kind, "filename": name, "size": upload.size, "sha256": attachment.sha256})
    return attachment


# --- the periodic deadline job --------------------------------------------------------------------

SUPERVISOR = {Level.COUNTY: Level.CITY, Level.CITY: Level.PROVINCE, Level.PROVINCE: Level.NATIONAL,
              Level.APPLICANT: Level.PROVINCE, Level.LAB: Level.NATIONAL, Level.EXPERT: Level.NATIONAL,
              Level.NATIONAL: Level.NATIONAL}


def daily(*, today=None) -> dict:
    """The daily job: step deadlines, renewal reminders, 名特优新 confirmations, rectifications left
    unanswered past their month (and, where installed, pushes still due)."""
    result = deadlines_process(today=today)
    result["renewal_reminders"] = renewal_reminders_process(today=today)
    from sanpin.featured.services import featured_daily  # the 名特优新 listings' annual confirmation

    result["featured"] = featured_daily(today=today)
    from sanpin.supervision.services import rectifications_overdue_process  # unanswered after the month

    result["rectifications_overdue"] = rectifications_overdue_process(today)
    from sanpin.traceability.services import push_pending  # events still due for the national traceability platform

    result["traceability"] = push_pending()
    from sanpin.compliance.partitions import ensure  # the coming months' 合格证 partitions (PostgreSQL only)

    result["compliance_partitions"] = ensure()
    return result


def deadlines_process(*, today=None) -> dict:
    """Remind the people responsible when two working days or fewer are left, and escalate an
    overdue step to the supervising level. Idempotent: a step is reminded once a day and
    escalated once. Runs from Celery beat or the `process_deadlines` command (cron)."""
    from .selectors import open_steps, step_clock

    today = today or clock.today()
    actor = system_user()
    reminded = escalated = 0
    for step in open_steps().filter(deadline__isnull=False, deadline__due_on__lte=today + timedelta(days=14)):
        if step.application.state != step.code:
            continue
        state = step_clock(step, today)
        spec = scheme_config(step.application.scheme).steps.get(step.code)
        if spec is None:
            continue
        with transaction.atomic():
            if state.overdue and step.escalated_at is None:
                step.escalated_at = clock.now()
                step.save(update_fields=["escalated_at"])
                recipients = recipients_for_level(step.application, SUPERVISOR.get(spec.level, Level.NATIONAL))
                recipients += recipients_for_level(step.application, spec.level)
                _send(list(set(recipients)), _("超期：%(number)s %(step)s") % {
                    "number": step.application.number, "step": spec.name},
                    _("“%(step)s”已于 %(due)s 到期，超期 %(late)d 个工作日，已上报。") % {
                        "step": spec.name, "due": state.due_on, "late": -state.days_left},
                    application_url(step.application_id))
                audit.record(actor=actor, verb="step.escalate", target=step.application,
                             new={"step": step.code, "due_on": state.due_on.isoformat()})
                escalated += 1
            elif state.warn and step.reminded_on != today:
                step.reminded_on = today
                step.save(update_fields=["reminded_on"])
                _send(recipients_for_level(step.application, spec.level),
                      _("即将到期：%(number)s %(step)s") % {"number": step.application.number, "step": spec.name},
                      _("“%(step)s”将于 %(due)s 到期，剩余 %(left)d 个工作日。") % {
                          "step": spec.name, "due": state.due_on, "left": state.days_left},
                      application_url(step.application_id))
                reminded += 1
    return {"reminded": reminded, "escalated": escalated}


RENEWAL_MILESTONES = (180, 150, 120, 100, 91)  # days before expiry; the last day to apply is day 90


def renewal_reminders_process(*, today=None) -> int:
    """Remind holders of licences that expire within 180 days to apply for renewal in time
    (at least 90 days before expiry [004 §20]), at each milestone once; skipped when a renewal is
    already under way. Returns the number of reminders sent."""
    from sanpin.certificates.models import Certificate

    from .choices import TERMINAL, ApplicationKind
    from .models import Application, RenewalReminder
    from .schemes import SCHEMES

    today = today or clock.today()
    sent = 0
    for config in SCHEMES.values():
        horizon = config.extra.get("renewal_reminder_days")
        if not horizon:
            continue
        candidates = (
            Certificate.objects.effective("valid", today)
            .filter(scheme=config.code, renewed=False, valid_until__lte=today + timedelta(days=horizon),
                    valid_until__gte=today)
            .select_related("holder")
        )
        for certificate in candidates:
            latest = config.renewal_latest_day(certificate.valid_until)
            if today > latest:
                continue
            days_left = (certificate.valid_until - today).days
            due = [m for m in RENEWAL_MILESTONES if m >= days_left and m <= horizon]
            if not due or Application.objects.filter(certificate=certificate, kind=ApplicationKind.RENEWAL) \
                    .exclude(state__in=TERMINAL).exists():
                continue
            milestone = min(due)
            with transaction.atomic():
                _reminder, created = RenewalReminder.objects.get_or_create(
                    certificate=certificate, days_before=milestone, defaults={"sent_on": today})
                if not created:
                    continue
                users = list(certificate.holder.users.filter(is_active=True, role_assignments__role=Role.APPLICANT))
                # Where agencies organise renewals (organic [002 §4(2)]), their staff are reminded too.
                for level in config.extra.get("renewal_reminder_levels", ()):
                    users += recipients_for_level(Application(entity=certificate.holder), level)
                body = (config.extra.get("renewal_reminder_body") or _(
                    "%(product)s（%(number)s）将于 %(until)s 到期。续展申请须在 %(latest)s 前提出；"
                    "逾期视为放弃续展，到期后不得继续使用标志。")) % {
                    "product": certificate.product_name, "number": certificate.number,
                    "until": certificate.valid_until, "latest": latest}
                _send(list(dict.fromkeys(users)), _("续展提醒：%(number)s") % {"number": certificate.number}, body,
                      reverse("certificates:detail", args=[certificate.number]))
                sent += 1
    return sent
