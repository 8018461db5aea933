"""Every change in post-certification supervision: rectification opened from a finding, answered
by the holder within one month, accepted or failed by the provincial office [004 §25]; a failed or
unanswered rectification becomes a revocation request; the national level decides, and a
revocation marks the certificate revoked and its 使用证 recovered [004 §26, §27], publishes the
announcement and, for green food, bars new applications (SPEC §10). Each service is one
transaction with its audit event; holders and offices are told after commit."""

import hashlib
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sanpin.accounts.choices import Role
from sanpin.accounts.models import User, system_user
from sanpin.certificates.choices import Status
from sanpin.certificates.models import Certificate
from sanpin.certificates.services import announcement_publish, certificate_recover, certificate_set_status
from sanpin.certification.services import MAX_UPLOAD_BYTES, sniff
from sanpin.core import audit, clock, numbering
from sanpin.core.access import access_by_id, require_role
from sanpin.core.dates import add_months
from sanpin.core.errors import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.notifications.services import notify

from . import causes as cause_tables
from .models import (
    SUPERVISION_ACTIONS,
    ApplicationBan,
    Rectification,
    RectificationEvidence,
    RectificationStatus,
    RevocationRequest,
    RevocationStatus,
    Source,
)

RECTIFICATION_MONTHS = 1  # [004 §25]


def _is_system(actor) -> bool:
    return getattr(actor, "is_system", False)


def _certificate_in_scope(actor, certificate, roles) -> Certificate:
    """The certificate locked, after checking the actor's role and region (the system acts everywhere)."""
    queryset = Certificate.objects.select_for_update()
    if _is_system(actor):
        return queryset.get(pk=certificate.pk)
    require_role(actor, roles)
    return access_by_id(queryset, actor, certificate.pk, "view")


def _holder_users(certificate):
    return list(User.objects.filter(entity_id=certificate.holder_id, is_active=True,
                                    role_assignments__role=Role.APPLICANT).distinct())


def _province_staff(certificate):
    province = certificate.holder.region_id[:2] + "0000"
    return list(User.objects.filter(agency__region_id=province, is_active=True,
                                    role_assignments__role=Role.PROVINCIAL_REVIEWER).distinct())


def _national_staff():
    return list(User.objects.filter(agency__level="national", is_active=True,
                                    role_assignments__role=Role.NATIONAL_REVIEWER).distinct())


def _tell(users, title, body, url):
    transaction.on_commit(lambda: notify(recipients=users, title=title, body=body, url=url))


def _number(prefix: str) -> str:
    year = clock.today().year
    return f"{prefix}{year}{numbering.next_value(f'{prefix.lower()}:{year}'):06d}"


# --- rectification ----------------------------------------------------------------------------------


@transaction.atomic
def rectification_open(*, actor, certificate, cause: str, detail: str, source: str = Source.MANUAL,
                       source_ref: str = "") -> Rectification:
    """A rectification decision with a one-month deadline [004 §25]. The certificate goes into
    rectification (its status history shows it, the public verify page too)."""
    certificate = _certificate_in_scope(actor, certificate, SUPERVISION_ACTIONS["open"])
    allowed = cause_tables.labels(cause_tables.RECTIFICATION_CAUSES, certificate.scheme)
    errors = {}
    if cause not in allowed:
        errors["cause"] = _("整改原因应为：%s") % "；".join(allowed.values()) if allowed else _("该类证书不适用整改")
    if not (detail or "").strip():
        errors["detail"] = _("请描述发现的问题")
    if source not in Source.values:
        errors["source"] = _("来源不正确")
    if errors:
        raise ValidationFailed(fields=errors)
    today = clock.today()
    if certificate.effective_status(today) != Status.VALID:
        raise TransitionNotAllowed(_("证书当前为“%(status)s”，不能作出整改决定")
                                   % {"status": certificate.effective_status_label(today)})
    if Rectification.objects.filter(certificate=certificate, status__in=[RectificationStatus.OPEN,
                                                                         RectificationStatus.ANSWERED]).exists():
        raise Conflict(_("该证书已有未办结的整改"))
    rectification = Rectification.objects.create(
        number=_number("ZG"), certificate=certificate, cause=cause, detail=detail.strip(), source=source,
        source_ref=(source_ref or "")[:80], opened_by=actor, opened_on=today,
        due_on=add_months(today, RECTIFICATION_MONTHS),
    )
    certificate_set_status(actor=system_user(), certificate=certificate, status=Status.IN_RECTIFICATION,
                           reason=f"{allowed[cause]}：{detail.strip()}", reference=rectification.number)
    audit.record(actor=actor, verb="rectification.open", target=rectification,
                 new={"certificate": certificate.number, "cause": cause, "due_on": rectification.due_on,
                      "source": source, "source_ref": rectification.source_ref})
    _tell(_holder_users(certificate), _("整改通知：%(n)s") % {"n": certificate.number},
          _("%(product)s（%(n)s）：%(cause)s。请于 %(due)s 前完成整改并提交整改报告。") % {
              "product": certificate.product_name, "n": certificate.number, "cause": allowed[cause],
              "due": rectification.due_on},
          reverse("supervision:rectification", args=[rectification.pk]))
    return rectification


def _locked_rectification(actor, rectification, action) -> Rectification:
    queryset = Rectification.objects.select_for_update(of=("self",)).select_related("certificate__holder")
    if _is_system(actor):
        return queryset.get(pk=rectification.pk)
    return access_by_id(queryset, actor, rectification.pk, action)


@transaction.atomic
def rectification_answer(*, actor, rectification, answer: str, files=()) -> Rectification:
    """The holder's rectification report with evidence, by the deadline (after it: refused)."""
    rectification = _locked_rectification(actor, rectification, "answer")
    if rectification.status != RectificationStatus.OPEN:
        raise TransitionNotAllowed(_("该整改当前为“%(s)s”，不能提交整改报告")
                                   % {"s": rectification.get_status_display()})
    if clock.today() > rectification.due_on:
        raise TransitionNotAllowed(_("整改期限（%(due)s）已过，不能再提交整改报告") % {"due": rectification.due_on})
    if not (answer or "").strip():
        raise ValidationFailed(fields={"answer": _("请填写整改情况")})
    checked = [_check_upload(upload) for upload in files]  # every file checked before any is stored
    stored = [_store_evidence(rectification, upload, name, content_type, actor)
              for upload, (name, content_type) in zip(files, checked, strict=True)]
    rectification.answer = answer.strip()
    rectification.answered_at, rectification.answered_by = clock.now(), actor
    rectification.status = RectificationStatus.ANSWERED
    rectification.save(update_fields=["answer", "answered_at", "answered_by", "status", "updated_at"])
    audit.record(actor=actor, verb="rectification.answer", target=rectification,
                 new={"files": [e.filename for e in stored]})
    certificate = rectification.certificate
    _tell(_province_staff(certificate), _("整改报告待审核：%(n)s") % {"n": rectification.number},
          _("%(holder)s 已提交 %(n)s 的整改报告。") % {"holder": certificate.holder.name, "n": certificate.number},
          reverse("supervision:rectification", args=[rectification.pk]))
    return rectification


def _check_upload(upload) -> tuple[str, str]:
    """The file's name and its content type, read from its first bytes (the name may lie)."""
    if upload is None or not upload.size:
        raise ValidationFailed(fields={"file": _("请选择文件（文件不能为空）")})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(fields={"file": _("文件不能超过 20 MB")})
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
    upload.seek(0)
    content_type = sniff(upload.read(16), name)
    upload.seek(0)
    return name, content_type


def _store_evidence(rectification, upload, name, content_type, actor) -> RectificationEvidence:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = RectificationEvidence(rectification=rectification, filename=name, content_type=content_type,
                                     size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor)
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def rectification_decide(*, actor, rectification, accepted: bool, note: str) -> Rectification:
    """The provincial office accepts the rectification (the certificate is valid again) or fails
    it, which sends a revocation request to the national level [004 §25]."""
    rectification = _locked_rectification(actor, rectification, "decide")
    if rectification.status != RectificationStatus.ANSWERED:
        raise TransitionNotAllowed(_("只有已提交整改报告的整改可以审核"))
    if not (note or "").strip():
        raise ValidationFailed(fields={"note": _("请填写审核意见")})
    rectification.status = RectificationStatus.ACCEPTED if accepted else RectificationStatus.FAILED
    rectification.decision_note, rectification.decided_at, rectification.decided_by = note.strip(), clock.now(), actor
    rectification.save(update_fields=["status", "decision_note", "decided_at", "decided_by", "updated_at"])
    audit.record(actor=actor, verb="rectification.decide", target=rectification,
                 new={"status": rectification.status}, reason=note)
    certificate = rectification.certificate
    if accepted:
        certificate_set_status(actor=system_user(), certificate=certificate, status=Status.VALID,
                               reason=_("整改合格：%s") % note.strip(), reference=rectification.number)
        _tell(_holder_users(certificate), _("整改合格：%(n)s") % {"n": certificate.number},
              _("%(n)s 整改合格，准予继续使用标志。") % {"n": certificate.number},
              reverse("supervision:rectification", args=[rectification.pk]))
    else:
        _request_after_rectification(actor, rectification, _("整改不合格：%s") % note.strip())
    return rectification


def _request_after_rectification(actor, rectification, detail) -> RevocationRequest:
    return revocation_request_open(actor=actor, certificate=rectification.certificate,
                                   causes=[cause_tables.RECTIFICATION_FAILED], detail=detail,
                                   rectification=rectification)


def rectifications_overdue_process(today: date | None = None) -> int:
    """Daily: a rectification still unanswered after its deadline fails and becomes a revocation
    request. Idempotent; returns how many were closed."""
    today = today or clock.today()
    closed = 0
    for pk in Rectification.objects.filter(status=RectificationStatus.OPEN, due_on__lt=today).values_list("pk",
                                                                                                            flat=True):
        with transaction.atomic():
            rectification = Rectification.objects.select_for_update().get(pk=pk)
            if rectification.status != RectificationStatus.OPEN:
                continue
            actor = system_user()
            rectification.status = RectificationStatus.OVERDUE
            rectification.decision_note = _("整改期限 %(due)s 已过，未提交整改报告") % {"due": rectification.due_on}
            rectification.decided_at, rectification.decided_by = clock.now(), actor
            rectification.save(update_fields=["status", "decision_note", "decided_at", "decided_by", "updated_at"])
            audit.record(actor=actor, verb="rectification.overdue", target=rectification,
                         new={"status": rectification.status})
            _request_after_rectification(actor, rectification, rectification.decision_note)
            closed += 1
    return closed


# --- revocation ----------------------------------------------------------------------------------------


@transaction.atomic
def revocation_request_open(*, actor, certificate, causes, detail: str, rectification=None) -> RevocationRequest:
    """A request to the national level to revoke a certificate, with its causes (required)."""
    certificate = _certificate_in_scope(actor, certificate, SUPERVISION_ACTIONS["open"])
    allowed = cause_tables.labels(cause_tables.REVOCATION_CAUSES, certificate.scheme)
    causes = list(dict.fromkeys(causes or []))
    errors = {}
    if not causes:
        errors["causes"] = _("请选择取消原因")
    elif set(causes) - set(allowed):
        errors["causes"] = _("取消原因应为：%s") % "；".join(allowed.values())
    if not (detail or "").strip():
        errors["detail"] = _("请写明事实与依据")
    if errors:
        raise ValidationFailed(fields=errors)
    if certificate.status in (Status.REVOKED, Status.STOPPED):
        raise TransitionNotAllowed(_("证书已停止使用或已取消"))
    if RevocationRequest.objects.filter(certificate=certificate, status=RevocationStatus.PENDING).exists():
        raise Conflict(_("该证书已有待决定的取消申请"))
    request = RevocationRequest.objects.create(
        number=_number("QX"), certificate=certificate, causes=causes, detail=detail.strip(),
        rectification=rectification, requested_by=actor, requested_on=clock.today(),
    )
    audit.record(actor=actor, verb="revocation.request", target=request,
                 new={"certificate": certificate.number, "causes": causes})
    _tell(_national_staff(), _("取消标志使用权申请：%(n)s") % {"n": certificate.number},
          _("%(holder)s 的 %(n)s：%(causes)s") % {"holder": certificate.holder.name, "n": certificate.number,
                                                 "causes": "；".join(allowed[c] for c in causes)},
          reverse("supervision:revocation", args=[request.pk]))
    return request


@transaction.atomic
def revocation_decide(*, actor, request, revoke: bool, note: str, serious: bool = False) -> RevocationRequest:
    """The national level's decision [004 §26]. Revoking: the certificate is revoked (every page
    and scan shows it at once), its 使用证 marked recovered [004 §27], a revocation announcement
    published, and for green food new applications barred for 3 years, permanently when serious."""
    if not (_is_system(actor) or actor.roles & SUPERVISION_ACTIONS["revoke"]):
        raise PermissionDenied(_("取消标志使用权由国家级机构决定"))
    queryset = RevocationRequest.objects.select_for_update(of=("self",)).select_related("certificate__holder")
    request = queryset.get(pk=request.pk) if _is_system(actor) else access_by_id(queryset, actor, request.pk,
                                                                                 "revoke")
    if request.status != RevocationStatus.PENDING:
        raise TransitionNotAllowed(_("该申请已作出决定"))
    if not (note or "").strip():
        raise ValidationFailed(fields={"note": _("请填写决定意见")})
    certificate = request.certificate
    request.decision_note, request.decided_at, request.decided_by = note.strip(), clock.now(), actor
    request.serious = bool(serious) and revoke
    if not revoke:
        request.status = RevocationStatus.DECLINED
        request.save(update_fields=["status", "decision_note", "decided_at", "decided_by", "serious", "updated_at"])
        audit.record(actor=actor, verb="revocation.decline", target=request, reason=note)
        return request
    today = clock.today()
    labels = cause_tables.labels(cause_tables.REVOCATION_CAUSES, certificate.scheme)
    reason = "；".join(labels.get(c, c) for c in request.causes)
    certificate_set_status(actor=actor, certificate=certificate, status=Status.REVOKED,
                           reason=f"{reason}（{note.strip()}）", reference=request.number)
    certificate.refresh_from_db()
    certificate_recover(actor=actor, certificate=certificate, recovered_on=today,
                        reason=_("取消标志使用权，收回证书（%(n)s）") % {"n": request.number})
    request.announcement = announcement_publish(
        actor=actor, title=_("关于取消 %(holder)s %(product)s 标志使用权的公告") % {
            "holder": certificate.holder.name, "product": certificate.product_name},
        kind="revocation", certificates=[certificate], published_on=today)
    request.status = RevocationStatus.REVOKED
    request.save(update_fields=["status", "decision_note", "decided_at", "decided_by", "serious", "announcement",
                                "updated_at"])
    ban = _ban(request, today)
    audit.record(actor=actor, verb="revocation.revoke", target=request,
                 new={"certificate": certificate.number, "causes": request.causes, "serious": request.serious,
                      "ban_until": (ban.until.isoformat() if ban.until else "permanent") if ban else None},
                 reason=note)
    _tell(_holder_users(certificate) + _province_staff(certificate),
          _("取消标志使用权：%(n)s") % {"n": certificate.number},
          _("%(n)s 的标志使用权已被取消：%(reason)s") % {"n": certificate.number, "reason": reason},
          reverse("supervision:revocation", args=[request.pk]))
    return request


def _ban(request, today) -> ApplicationBan | None:
    years = cause_tables.BAN_YEARS.get(request.certificate.scheme)
    if not years:
        return None
    until = None if request.serious else add_months(today, 12 * years)
    return ApplicationBan.objects.create(
        entity=request.certificate.holder, scheme=request.certificate.scheme, starts_on=today, until=until,
        reason=_("%(n)s 被取消标志使用权（%(req)s）") % {"n": request.certificate.number, "req": request.number},
        revocation=request)


def active_ban(entity, scheme: str, on: date) -> ApplicationBan | None:
    """The ban that stops `entity` applying for `scheme` on `on`, if any."""
    from django.db.models import Q

    return (ApplicationBan.objects.filter(entity=entity, scheme=scheme, starts_on__lte=on)
            .filter(Q(until__isnull=True) | Q(until__gt=on)).order_by("until").first())
