"""Every change to certificates: issue (and renew), change, status transitions, recovery of the
使用证 and announcements. Called by the review workflow engine at the end of a review and by
national staff; each is one transaction with one audit event and its history rows.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.accounts.choices import NATIONAL_ROLES, REVIEW_STAFF_ROLES
from sanpin.catalog.services import green_food_code_assign
from sanpin.core import audit, clock
from sanpin.core.access import access_by_id, require_role
from sanpin.core.errors import Conflict, TransitionNotAllowed, ValidationFailed
from sanpin.core.numbering import ensure_at_least

from . import numbering, signals
from .choices import FINAL, AnnouncementKind, GreenInputCategory, Scheme, Status
from .models import Announcement, AnnouncementItem, Certificate, CertificateChange, StatusChange

# source → allowed targets [004 §22, §25, §26]. Stopped and revoked are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.VALID: frozenset({Status.IN_RECTIFICATION, Status.SUSPENDED, Status.STOPPED, Status.REVOKED}),
    Status.IN_RECTIFICATION: frozenset({Status.VALID, Status.STOPPED, Status.REVOKED}),
    Status.SUSPENDED: frozenset({Status.VALID, Status.STOPPED, Status.REVOKED}),
    Status.STOPPED: frozenset(),
    Status.REVOKED: frozenset(),
}
CHANGEABLE = ("product_name", "trademark", "approved_output")  # [004 §21]; the company name is the entity's
TEXT_LIMITS = {"product_name": 120, "trademark": 80}


def validity_end(valid_from: datetime.date, years: int) -> datetime.date:
    """Last day of a term of `years` years from `valid_from`: the day before the anniversary
    (29 February rolls to 28 February). Green inputs and green food 3 years [004 §20, SPEC §10],
    organic 1 year."""
    try:
        anniversary = valid_from.replace(year=valid_from.year + years)
    except ValueError:
        anniversary = valid_from.replace(year=valid_from.year + years, day=28) + datetime.timedelta(days=1)
    return anniversary - datetime.timedelta(days=1)


def green_inputs_validity(approved_on: datetime.date) -> datetime.date:
    return validity_end(approved_on, 3)


def _require_national(actor) -> None:
    if not getattr(actor, "is_system", False):
        require_role(actor, NATIONAL_ROLES)


def _locked(actor, certificate) -> Certificate:
    queryset = Certificate.objects.select_for_update()
    if getattr(actor, "is_system", False):
        return queryset.get(pk=certificate.pk)
    return access_by_id(queryset, actor, certificate.pk, "change")


def snapshot(certificate: Certificate) -> dict:
    return {
        "number": certificate.number, "scheme": certificate.scheme, "holder": certificate.holder_id,
        "product_name": certificate.product_name, "category": certificate.category,
        "trademark": certificate.trademark, "approved_output": str(certificate.approved_output),
        "output_unit": certificate.output_unit, "valid_from": certificate.valid_from,
        "valid_until": certificate.valid_until, "status": certificate.status,
    }


def _history(certificate, *, actor, from_status, to_status, reason, reference) -> StatusChange:
    return StatusChange.objects.create(certificate=certificate, from_status=from_status, to_status=to_status,
                                       reason=reason or "", reference=reference or "", actor=actor, at=clock.now())


def _validate_issue(*, scheme, holder, product_name, category, approved_output, output_unit, approved_on,
                    valid_from, valid_until, province, country) -> tuple[dict, Decimal | None]:
    errors = {}
    if scheme not in Scheme.values:
        errors["scheme"] = _("认证类型无效")
    if holder is None:
        errors["holder"] = _("请指定获证单位")
    if not (product_name or "").strip():
        errors["product_name"] = _("请填写产品名称")
    elif len(product_name) > TEXT_LIMITS["product_name"]:
        errors["product_name"] = _("产品名称不能超过 120 个字")
    if scheme == Scheme.GREEN_INPUTS and category not in GreenInputCategory.values:
        errors["category"] = _(
            "产品类别无效，应为 01 肥料、02 农药、03 饲料及饲料添加剂、04 兽药、05 食品添加剂或 09 其它"
        )
    output = None
    try:
        output = Decimal(str(approved_output))
        if not output.is_finite() or output <= 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors["approved_output"] = _("核准产量须为大于 0 的数")
    if not (output_unit or "").strip():
        errors["output_unit"] = _("请填写产量单位")
    if not isinstance(approved_on, datetime.date):
        errors["approved_on"] = _("请填写核准日期")
    if not isinstance(valid_from, datetime.date) or not isinstance(valid_until, datetime.date):
        errors["valid_until"] = _("请填写有效期")
    elif valid_until < valid_from:
        errors["valid_until"] = _("有效期至不能早于有效期起")
    if (province is None) == (country is None):
        errors["province"] = _("国内产品须指定省份，国外产品须指定国家，二者只能选一")
    return errors, output


def _claim_given_number(number: str, *, category: str, approved_on: datetime.date) -> None:
    """A number issued before this system (an import) must read right, and moves its sequence
    forward so that a later allocation never repeats it (docs/decisions/0004)."""
    parts = numbering.parse(number)
    if parts is None:
        raise ValidationFailed(fields={"number": _("产品编号格式应为 LSSZ-类别-年月省份序号，如 LSSZ-01-2503200001")})
    if parts["category"] != category or (parts["yy"], parts["mm"]) != (f"{approved_on:%y}", f"{approved_on:%m}"):
        raise ValidationFailed(fields={"number": _("产品编号中的类别或核准年月与证书不符")})
    ensure_at_least(numbering.serial_key(parts["pp"], approved_on.year), int(parts["serial"]))


@transaction.atomic
def certificate_issue(*, actor, scheme, holder, product_name, category, trademark, approved_output, output_unit,
                      approved_on, valid_from, valid_until, province=None, country=None, number=None,
                      predecessor=None, new_number=False, certifier_code="", reference="") -> Certificate:
    """Issue a certificate, or a renewal term of `predecessor` [004 §14, §17, §20].

    Without `number` one is allocated (sanpin.certificates.numbering.allocate). A renewal keeps
    its predecessor's number unless `new_number` (green food and organic renewals are numbered
    afresh, their approval month being part of the number); a number held by any other
    certificate is refused. A first green food certificate gives the holder its enterprise
    information code. Side effects: allocates serials; marks the predecessor renewed; a
    StatusChange "valid"; audit events.
    """
    _require_national(actor)
    errors, output = _validate_issue(
        scheme=scheme, holder=holder, product_name=product_name, category=category, approved_output=approved_output,
        output_unit=output_unit, approved_on=approved_on, valid_from=valid_from, valid_until=valid_until,
        province=province, country=country,
    )
    if predecessor is not None:
        predecessor = Certificate.objects.select_for_update().get(pk=predecessor.pk)
        if number is None and not new_number:
            number = predecessor.number
        if number is not None and not new_number and number != predecessor.number:
            errors["number"] = _("续展证书须沿用原产品编号 %(number)s") % {"number": predecessor.number}
        if predecessor.renewed:
            errors["predecessor"] = _("该证书已续展过")
        elif predecessor.status in FINAL:
            errors["predecessor"] = _("该证书已停止使用或被取消，不能续展")
        elif predecessor.holder_id != getattr(holder, "pk", None) or predecessor.scheme != scheme:
            errors["predecessor"] = _("续展证书须与原证书属于同一单位和同一认证类型")
        elif isinstance(valid_from, datetime.date) and valid_from <= predecessor.valid_until:
            errors["valid_from"] = _("续展有效期应自原证书有效期满次日起算")
    if errors:
        raise ValidationFailed(fields=errors)
    if number is None:
        number = numbering.allocate(scheme=scheme, category=category, approved_on=approved_on, province=province,
                                    country=country, certifier_code=certifier_code)
    else:
        number = str(number).strip().upper()
        if predecessor is None and scheme == Scheme.GREEN_INPUTS:
            _claim_given_number(number, category=category, approved_on=approved_on)
        holders = Certificate.objects.select_for_update().filter(number=number, renewed=False)
        if predecessor is not None:
            holders = holders.exclude(pk=predecessor.pk)
        if holders.exists():
            raise Conflict(_("产品编号 %(number)s 已被其他证书使用") % {"number": number}, code="duplicate",
                           fields={"number": _("该编号已被使用")})
    if predecessor is not None:
        predecessor.renewed = True
        predecessor.save(update_fields=["renewed", "updated_at"])
    certificate = Certificate.objects.create(
        scheme=scheme, number=number, holder=holder, product_name=product_name.strip(), category=category,
        trademark=(trademark or "").strip(), approved_output=output, output_unit=output_unit.strip(),
        province=province, country=country, approved_on=approved_on, valid_from=valid_from,
        valid_until=valid_until, predecessor=predecessor, reference=reference or "",
    )
    if scheme == Scheme.GREEN_FOOD:
        green_food_code_assign(entity=holder, actor=actor, on_date=approved_on)
    _history(certificate, actor=actor, from_status="", to_status=Status.VALID,
             reason=_("续展") if predecessor else _("颁证"), reference=reference)
    audit.record(actor=actor, verb="certificate.renew" if predecessor else "certificate.issue", target=certificate,
                 new=snapshot(certificate), reason=reference or "")
    signals.emit(certificate, "renewed" if predecessor else "issued")
    return certificate


@transaction.atomic
def certificate_change(*, actor, certificate, changes: dict, reason: str, reference: str = "") -> Certificate:
    """Change what the 使用证 states [004 §21]: product name, trademark, approved output. The
    company name lives on the entity and changes there.

    Side effects: one CertificateChange row with old and new values; one audit event.
    """
    certificate = _locked(actor, certificate)
    if certificate.status in FINAL:
        raise TransitionNotAllowed(_("证书已停止使用或被取消，不能变更"))
    unknown = [key for key in changes if key not in CHANGEABLE]
    errors = {key: _("该项不能通过证书变更修改") for key in unknown}
    values = {}
    for key in CHANGEABLE:
        if key not in changes:
            continue
        value = changes[key]
        if key == "approved_output":
            try:
                value = Decimal(str(value))
                if not value.is_finite() or value <= 0:
                    raise InvalidOperation
            except (InvalidOperation, ValueError, TypeError):
                errors[key] = _("核准产量须为大于 0 的数")
                continue
        else:
            value = (value or "").strip()
            if key == "product_name" and not value:
                errors[key] = _("请填写产品名称")
                continue
            if len(value) > TEXT_LIMITS[key]:
                errors[key] = _("不能超过 %(n)d 个字") % {"n": TEXT_LIMITS[key]}
                continue
        values[key] = value
    if errors:
        raise ValidationFailed(fields=errors)
    old = {k: getattr(certificate, k) for k in values if getattr(certificate, k) != values[k]}
    if not old:
        raise ValidationFailed(_("没有需要变更的内容"), fields={"changes": _("变更内容与现证书相同")})
    new = {k: values[k] for k in old}
    for key, value in new.items():
        setattr(certificate, key, value)
    certificate.save(update_fields=[*new, "updated_at"])
    as_json = lambda d: {k: str(v) for k, v in d.items()}  # noqa: E731
    CertificateChange.objects.create(certificate=certificate, old=as_json(old), new=as_json(new), reason=reason or "",
                                     reference=reference or "", actor=actor, at=clock.now())
    audit.record(actor=actor, verb="certificate.change", target=certificate, old=as_json(old), new=as_json(new),
                 reason=reason or "")
    signals.emit(certificate, "changed")
    return certificate


@transaction.atomic
def certificate_extend(*, actor, certificate, valid_until: datetime.date, reason: str,
                       reference: str = "") -> Certificate:
    """Move the end of the current term on to `valid_until`: a 名特优新 listing confirmed for
    another year (年度确认). Staff whose region covers the holder (the caller checks which role may
    confirm), or the system. Side effects: one CertificateChange with the old and new
    valid_until; one audit event; subscribers told "changed"."""
    if getattr(actor, "is_system", False):
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    else:
        require_role(actor, REVIEW_STAFF_ROLES)
        certificate = access_by_id(Certificate.objects.select_for_update(), actor, certificate.pk, "view")
    if certificate.status in FINAL or certificate.renewed:
        raise TransitionNotAllowed(_("证书已停止使用、被取消或已续展，不能延续有效期"))
    if not isinstance(valid_until, datetime.date) or valid_until <= certificate.valid_until:
        raise ValidationFailed(fields={"valid_until": _("新的有效期至须晚于现有效期至 %(day)s")
                                       % {"day": certificate.valid_until}})
    old = {"valid_until": certificate.valid_until.isoformat()}
    certificate.valid_until = valid_until
    certificate.save(update_fields=["valid_until", "updated_at"])
    new = {"valid_until": valid_until.isoformat()}
    CertificateChange.objects.create(certificate=certificate, old=old, new=new, reason=reason or "",
                                     reference=reference or "", actor=actor, at=clock.now())
    audit.record(actor=actor, verb="certificate.extend", target=certificate, old=old, new=new, reason=reason or "")
    signals.emit(certificate, "changed")
    return certificate


@transaction.atomic
def certificate_set_status(*, actor, certificate, status, reason, reference="") -> Certificate:
    """Move a licence through TRANSITIONS: rectification [004 §25], suspension, stop of use
    [004 §22], revocation [004 §26]. Other terms of the same number that share the status follow
    (a renewal term issued before the current term ends), so the number answers the same.

    Side effects: a StatusChange per term; one audit event. Raises TransitionNotAllowed.
    """
    certificate = _locked(actor, certificate)
    if status not in Status.values:
        raise ValidationFailed(fields={"status": _("状态无效")})
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": _("请填写理由")})
    source = certificate.status
    if status not in TRANSITIONS[source]:
        raise TransitionNotAllowed(_("证书状态为“%(from)s”，不能改为“%(to)s”")
                                   % {"from": Status(source).label, "to": Status(status).label})
    terms = Certificate.objects.select_for_update().filter(number=certificate.number, status=source,
                                                           valid_until__gte=clock.today())
    for term in {certificate.pk: certificate, **{t.pk: t for t in terms}}.values():
        term.status = status
        term.save(update_fields=["status", "updated_at"])
        _history(term, actor=actor, from_status=source, to_status=status, reason=reason, reference=reference)
    certificate.status = status
    audit.record(actor=actor, verb="certificate.set_status", target=certificate, old={"status": source},
                 new={"status": status}, reason=reason)
    signals.emit(certificate, status)
    return certificate


@transaction.atomic
def certificate_recover(*, actor, certificate, recovered_on: datetime.date, reason: str = "") -> Certificate:
    """Record that the 使用证 was taken back after the holder gave up or lost the right to use the
    mark [004 §27]. Only for stopped or revoked licences.

    Side effects: a StatusChange "recovered" note; one audit event.
    """
    certificate = _locked(actor, certificate)
    if certificate.status not in FINAL:
        raise TransitionNotAllowed(_("只有停止使用或已取消的证书才收回《使用证》"))
    if certificate.recovered_on:
        raise TransitionNotAllowed(_("该《使用证》已于 %(day)s 收回") % {"day": certificate.recovered_on})
    if not isinstance(recovered_on, datetime.date):
        raise ValidationFailed(fields={"recovered_on": _("请填写收回日期")})
    if recovered_on > clock.today():
        raise ValidationFailed(fields={"recovered_on": _("收回日期不能晚于今天")})
    certificate.recovered_on = recovered_on
    certificate.save(update_fields=["recovered_on", "updated_at"])
    _history(certificate, actor=actor, from_status=certificate.status, to_status=certificate.status,
             reason=reason or _("收回《使用证》（%(day)s）") % {"day": recovered_on}, reference="")
    audit.record(actor=actor, verb="certificate.recover", target=certificate, new={"recovered_on": recovered_on},
                 reason=reason or "")
    return certificate


@transaction.atomic
def announcement_publish(*, actor, title, kind, certificates,
                         published_on: datetime.date | None = None) -> Announcement:
    """Publish approved or revoked licences [004 §15, §26], freezing what is announced.

    Side effects: the announcement and one item per certificate; one audit event.
    """
    _require_national(actor)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("请填写公告标题")
    elif len(title) > 200:
        errors["title"] = _("标题不能超过 200 个字")
    if kind not in AnnouncementKind.values:
        errors["kind"] = _("公告类型无效")
    certificates = list(certificates or [])
    if not certificates:
        errors["certificates"] = _("请至少选择一张证书")
    elif kind == AnnouncementKind.REVOCATION and any(c.status != Status.REVOKED for c in certificates):
        errors["certificates"] = _("取消公告只能包含已取消的证书")
    elif kind == AnnouncementKind.APPROVAL and any(c.status in FINAL for c in certificates):
        errors["certificates"] = _("获证公告不能包含已停止使用或已取消的证书")
    if errors:
        raise ValidationFailed(fields=errors)
    announcement = Announcement.objects.create(title=title.strip(), kind=kind,
                                               published_on=published_on or clock.today(), published_by=actor)
    AnnouncementItem.objects.bulk_create([
        AnnouncementItem(announcement=announcement, certificate=c, enterprise_name=c.holder.name,
                         product_name=c.product_name, number=c.number, trademark=c.trademark,
                         approved_output=c.approved_output, output_unit=c.output_unit, valid_from=c.valid_from,
                         valid_until=c.valid_until)
        for c in certificates
    ])
    audit.record(actor=actor, verb="announcement.publish", target=announcement,
                 new={"kind": kind, "numbers": [c.number for c in certificates]})
    return announcement
