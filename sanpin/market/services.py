"""Every change in the market: buyer sign-up and profile, supply listings (create, edit, withdraw,
republish, take down) and inquiries (send, reply).

Each service is one transaction that checks role and scope, validates with Chinese messages per
field (nothing is written on a refusal), changes the rows and appends one audit event. The other
side is told through sanpin.notifications after commit.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sanpin.accounts.choices import Role
from sanpin.accounts.models import User
from sanpin.catalog.models import Entity, Region
from sanpin.catalog.services import signup_clean, signup_create
from sanpin.catalog.validators import validate_phone
from sanpin.certificates.choices import EXPIRED_LABEL, EffectiveStatus, Status
from sanpin.certificates.models import Certificate
from sanpin.core import audit, clock
from sanpin.core.access import access_by_id, can, require_role
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed

from .choices import BuyerType, InquiryStatus, ListingStatus, ProductField
from .models import BuyerProfile, Inquiry, SupplyListing, valid_certificates

BUYER_KINDS = ("purchaser",)
TEXT_MAX = 2000
QUANTITY_MAX = Decimal("99999999999.999")

# Listing transitions: (from, to) → the access action the actor needs. Anything else is refused.
TRANSITIONS = {
    (ListingStatus.ACTIVE, ListingStatus.WITHDRAWN): "change",
    (ListingStatus.WITHDRAWN, ListingStatus.ACTIVE): "change",
    (ListingStatus.ACTIVE, ListingStatus.TAKEN_DOWN): "take_down",
}


# --- shared checks ------------------------------------------------------------------------------


def _text(value, *, field: str, errors: dict, required: str | None = None, limit: int = TEXT_MAX) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[field] = required
    elif len(text) > limit:
        errors[field] = _("最多%(n)d个字") % {"n": limit}
    return text


def _quantity(value, *, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        errors[field] = _("请填写数量")
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = _("数量应为数字")
        return None
    if not amount.is_finite() or amount <= 0:
        errors[field] = _("数量应大于 0")
    elif amount > QUANTITY_MAX or amount != amount.quantize(Decimal("0.001")):
        errors[field] = _("数量最多11位整数、3位小数")
    else:
        return amount
    return None


def _month(value, *, field: str, errors: dict) -> int | None:
    try:
        month = int(value)
    except (TypeError, ValueError):
        month = 0
    if not 1 <= month <= 12:
        errors[field] = _("请选择 1 至 12 月")
        return None
    return month


def _phone(value, *, field: str, errors: dict) -> str:
    try:
        return validate_phone(str(value or ""))
    except ValidationError as exc:
        errors[field] = exc.messages[0]
        return ""


def _region(value, *, field: str, errors: dict) -> Region | None:
    code = value.code if isinstance(value, Region) else str(value or "").strip()
    region = Region.objects.filter(code=code, is_active=True).first() if code else None
    if region is None:
        errors[field] = _("请选择地区") if not code else _("区划代码 %(code)s 不存在") % {"code": code}
    return region


def _actor_entity(actor, roles) -> Entity:
    """The organisation an entity user acts for (403 for another role or a user without one)."""
    require_role(actor, roles)
    if not actor.entity_id:
        raise PermissionDenied(_("您的账号未关联单位"))
    return actor.entity


def _tell(users, title: str, body: str, url: str) -> None:
    from sanpin.notifications.services import notify

    people = list(users)
    transaction.on_commit(lambda: notify(recipients=people, title=title, body=body, url=url))


def _entity_users(entity: Entity, role: str):
    return User.objects.filter(entity=entity, is_active=True, role_assignments__role=role).distinct()


# --- buyers -------------------------------------------------------------------------------------


def _clean_profile(*, buyer_type, product_fields, regions, serves_nationwide, description) -> tuple[dict, dict]:
    errors, values = {}, {}
    if buyer_type not in BuyerType.values:
        errors["buyer_type"] = _("请选择采购商类型")
    values["buyer_type"] = buyer_type
    codes = [str(c) for c in (product_fields or [])]
    unknown = [c for c in codes if c not in ProductField.values]
    if not codes:
        errors["product_fields"] = _("请至少选择一个采购产品领域")
    elif unknown:
        errors["product_fields"] = _("未知的产品领域：%(c)s") % {"c": "、".join(unknown)}
    values["product_fields"] = "," + ",".join(c for c in ProductField.values if c in codes) + ","
    wanted = [r.code if isinstance(r, Region) else str(r).strip() for r in (regions or []) if str(r).strip()]
    found = {r.code: r for r in Region.objects.filter(code__in=wanted, is_active=True)}
    missing = [c for c in wanted if c not in found]
    if missing:
        errors["regions"] = _("区划代码不存在：%(c)s") % {"c": "、".join(missing)}
    elif not wanted and not serves_nationwide:
        errors["regions"] = _("请选择服务地区，或勾选“面向全国”")
    values["regions"] = list(found.values())
    values["serves_nationwide"] = bool(serves_nationwide)
    values["description"] = _text(description, field="description", errors=errors)
    return values, errors


def _profile_snapshot(profile: BuyerProfile) -> dict:
    return {"buyer_type": profile.buyer_type, "product_fields": profile.field_codes,
            "regions": sorted(r.code for r in profile.regions.all()), "serves_nationwide": profile.serves_nationwide,
            "description": profile.description, "listed": profile.listed}


@transaction.atomic
def buyer_signup(*, username, password, display_name, phone, name, uscc, region, address, legal_representative,
                 contact_name, contact_phone, email="", buyer_type, product_fields, regions=(),
                 serves_nationwide=False, description="", listed=False) -> User:
    """A purchaser opens an account, registers its organisation (kind 收购者/批发市场) and fills its
    buyer profile in one step: all three are created or none. The account checks are the
    applicant sign-up's own (catalog.services.signup_clean). Side effects: the user gets the
    PURCHASER role; one audit event with the new user as actor."""
    account, values, errors = signup_clean(
        username=username, password=password, display_name=display_name, phone=phone, name=name, uscc=uscc,
        kind="purchaser", region=region, address=address, legal_representative=legal_representative,
        contact_name=contact_name, contact_phone=contact_phone, email=email, kinds=BUYER_KINDS,
    )
    profile_values, profile_errors = _clean_profile(buyer_type=buyer_type, product_fields=product_fields,
                                                    regions=regions, serves_nationwide=serves_nationwide,
                                                    description=description)
    errors.update(profile_errors)
    if errors:
        raise ValidationFailed(fields=errors)
    user = signup_create(account=account, values=values, role=Role.PURCHASER)
    served = profile_values.pop("regions")
    profile = BuyerProfile.objects.create(entity=user.entity, listed=bool(listed), updated_by=user, **profile_values)
    profile.regions.set(served)
    audit.record(actor=user, verb="market.buyer.signup", target=profile,
                 new={"username": user.username, "role": Role.PURCHASER, "entity": user.entity.name,
                      "uscc": user.entity.uscc, **_profile_snapshot(profile)})
    return user


@transaction.atomic
def buyer_profile_save(*, actor, buyer_type, product_fields, regions=(), serves_nationwide=False, description="",
                       listed=False) -> BuyerProfile:
    """A purchaser user fills or corrects its organisation's buyer profile (the first save makes it a
    registered buyer). Side effects: one audit event; nothing changed → nothing written."""
    entity = _actor_entity(actor, {Role.PURCHASER})
    values, errors = _clean_profile(buyer_type=buyer_type, product_fields=product_fields, regions=regions,
                                    serves_nationwide=serves_nationwide, description=description)
    if errors:
        raise ValidationFailed(fields=errors)
    served = values.pop("regions")
    values["listed"] = bool(listed)
    profile = BuyerProfile.objects.select_for_update().filter(entity=entity).first()
    if profile is None:
        profile = BuyerProfile.objects.create(entity=entity, updated_by=actor, **values)
        profile.regions.set(served)
        audit.record(actor=actor, verb="market.buyer.profile_create", target=profile, new=_profile_snapshot(profile))
        return profile
    before = _profile_snapshot(profile)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.updated_by = actor
    profile.save(update_fields=[*values, "updated_by", "updated_at"])
    profile.regions.set(served)
    old, new = audit.diff(before, _profile_snapshot(profile))
    if new:
        audit.record(actor=actor, verb="market.buyer.profile_update", target=profile, old=old, new=new)
    return profile


def is_registered_buyer(user) -> bool:
    """An active user with the PURCHASER role whose organisation has a buyer profile."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active
                and Role.PURCHASER in user.roles and user.entity_id
                and BuyerProfile.objects.filter(entity_id=user.entity_id).exists())


# --- listings -----------------------------------------------------------------------------------


def _listing_snapshot(listing: SupplyListing) -> dict:
    return {
        "certificate": listing.certificate.number, "product_name": listing.product_name,
        "product_field": listing.product_field, "supply_from_month": listing.supply_from_month,
        "supply_to_month": listing.supply_to_month, "quantity": listing.quantity_text, "unit": listing.unit,
        "packaging": listing.packaging, "region": listing.region_id, "contact_name": listing.contact_name,
        "contact_phone": listing.contact_phone, "description": listing.description, "status": listing.status,
    }


def _certificate_refusal(certificate: Certificate, on: datetime.date) -> str | None:
    """Why this term cannot back a listing today, or None when it is valid."""
    status = certificate.effective_status(on)
    if status == Status.VALID and certificate.valid_from <= on:
        return None
    if status == Status.VALID:
        return _("证书 %(n)s 的有效期自 %(d)s 起，尚未生效") % {"n": certificate.number, "d": certificate.valid_from}
    label = EXPIRED_LABEL if status == "expired" else EffectiveStatus(status).label
    return _("证书 %(n)s 当前状态为“%(s)s”，只有有效证书的产品可以发布供应信息") % {"n": certificate.number, "s": label}


def _own_certificate(holder: Entity, certificate) -> Certificate | None:
    """The term named (object, id or number) if `holder` holds it; another organisation's
    certificate reads as not found, so its existence is not disclosed."""
    if isinstance(certificate, Certificate):
        certificate = certificate.pk
    terms = Certificate.objects.filter(holder=holder)
    if certificate in (None, ""):
        return None
    if str(certificate).isdigit():
        return terms.filter(pk=int(certificate)).first()
    return terms.filter(number=str(certificate).strip(), renewed=False).first()


def _clean_listing(data: dict, *, certificate: Certificate | None, errors: dict) -> dict:
    values = {}
    product = str(data.get("product_name") or "").strip()
    if certificate is not None:
        if not product:
            product = certificate.product_name
        elif product != certificate.product_name:
            errors["product_name"] = _("“%(p)s”不是证书 %(n)s 的获证产品（获证产品：%(c)s）") % {
                "p": product, "n": certificate.number, "c": certificate.product_name}
    values["product_name"] = product
    field = data.get("product_field") or ""
    if field not in ProductField.values:
        errors["product_field"] = _("请选择产品领域")
    values["product_field"] = field
    values["supply_from_month"] = _month(data.get("supply_from_month"), field="supply_from_month", errors=errors)
    values["supply_to_month"] = _month(data.get("supply_to_month"), field="supply_to_month", errors=errors)
    values["quantity"] = _quantity(data.get("quantity"), field="quantity", errors=errors)
    values["unit"] = _text(data.get("unit"), field="unit", errors=errors, required=_("请填写单位"), limit=20)
    values["packaging"] = _text(data.get("packaging"), field="packaging", errors=errors, limit=120)
    values["region"] = _region(data.get("region"), field="region", errors=errors)
    values["contact_name"] = _text(data.get("contact_name"), field="contact_name", errors=errors,
                                   required=_("请填写联系人"), limit=60)
    values["contact_phone"] = _phone(data.get("contact_phone"), field="contact_phone", errors=errors)
    values["description"] = _text(data.get("description"), field="description", errors=errors)
    return values


LISTING_FIELDS = ("product_name", "product_field", "supply_from_month", "supply_to_month", "quantity", "unit",
                  "packaging", "region", "contact_name", "contact_phone", "description")


@transaction.atomic
def listing_create(*, actor, certificate, **data) -> SupplyListing:
    """A certificate holder's user publishes what it sells. The certificate must be its own
    organisation's and valid today, the product the certificate's; the region defaults to the
    holder's county. Side effects: one audit event."""
    if not can(actor, "change", SupplyListing):
        raise PermissionDenied(_("只有获证单位的用户可以发布供应信息"))
    holder = _actor_entity(actor, {Role.APPLICANT})
    unknown = set(data) - set(LISTING_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: _("此项不能填写") for name in unknown})
    if not data.get("region"):
        data["region"] = holder.region_id
    errors = {}
    term = _own_certificate(holder, certificate)
    if term is None:
        errors["certificate"] = _("请选择本单位持有的有效证书") if certificate in (None, "") else _(
            "未找到本单位的该证书：只能为本单位获证产品发布供应信息")
    else:
        refusal = _certificate_refusal(term, clock.today())
        if refusal:
            errors["certificate"] = refusal
    values = _clean_listing(data, certificate=term, errors=errors)
    if errors:
        raise ValidationFailed(_("供应信息未发布，请检查标注的字段"), fields=errors)
    listing = SupplyListing.objects.create(holder=holder, certificate=term, created_by=actor, **values)
    audit.record(actor=actor, verb="market.listing.create", target=listing, new=_listing_snapshot(listing))
    return listing


def _locked_listing(actor, listing, action: str) -> SupplyListing:
    pk = listing.pk if isinstance(listing, SupplyListing) else listing
    found = access_by_id(SupplyListing, actor, pk, action)
    return SupplyListing.objects.select_for_update().select_related("certificate", "holder").get(pk=found.pk)


@transaction.atomic
def listing_update(*, actor, listing, **data) -> SupplyListing:
    """The holder corrects a listing it has not lost to a take-down (the certificate stays; a
    listing for another certificate is a new listing). Side effects: one audit event with the
    changed fields; nothing changed → nothing written."""
    listing = _locked_listing(actor, listing, "change")
    if listing.status == ListingStatus.TAKEN_DOWN:
        raise Conflict(_("该供应信息已被工作机构下架，不能修改"), code="listing_taken_down")
    unknown = set(data) - set(LISTING_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: _("此项不能修改") for name in unknown})
    merged = {name: getattr(listing, name) for name in LISTING_FIELDS}
    merged["region"] = listing.region_id
    merged.update(data)
    errors = {}
    values = _clean_listing(merged, certificate=listing.certificate, errors=errors)
    if errors:
        raise ValidationFailed(_("供应信息未保存，请检查标注的字段"), fields=errors)
    before = _listing_snapshot(listing)
    for name, value in values.items():
        setattr(listing, name, value)
    old, new = audit.diff(before, _listing_snapshot(listing))
    if not new:
        return listing
    listing.save(update_fields=[*values, "updated_at"])
    audit.record(actor=actor, verb="market.listing.update", target=listing, old=old, new=new)
    return listing


def _move(listing: SupplyListing, target: str, *, action: str) -> str:
    source = listing.status
    if TRANSITIONS.get((source, target)) != action:
        raise TransitionNotAllowed(_("供应信息状态为“%(s)s”，不能改为“%(t)s”") % {
            "s": ListingStatus(source).label, "t": ListingStatus(target).label})
    listing.status = target
    listing.status_changed_at = clock.now()
    return source


@transaction.atomic
def listing_withdraw(*, actor, listing) -> SupplyListing:
    """The holder withdraws an active listing: it leaves the public pages and takes no inquiries.
    Side effects: one audit event."""
    listing = _locked_listing(actor, listing, "change")
    source = _move(listing, ListingStatus.WITHDRAWN, action="change")
    listing.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit.record(actor=actor, verb="market.listing.withdraw", target=listing, old={"status": source},
                 new={"status": listing.status})
    return listing


@transaction.atomic
def listing_republish(*, actor, listing) -> SupplyListing:
    """The holder puts a withdrawn listing back up, only while its certificate is valid.
    Side effects: one audit event."""
    listing = _locked_listing(actor, listing, "change")
    today = clock.today()
    backed = valid_certificates(today).filter(number=listing.certificate.number, holder=listing.holder_id).exists()
    if not backed:
        raise Conflict(_certificate_refusal(listing.certificate, today) or _("证书已失效"),
                       code="certificate_not_valid")
    source = _move(listing, ListingStatus.ACTIVE, action="change")
    listing.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit.record(actor=actor, verb="market.listing.republish", target=listing, old={"status": source},
                 new={"status": listing.status})
    return listing


@transaction.atomic
def listing_take_down(*, actor, listing, reason: str) -> SupplyListing:
    """Staff whose region covers the holder take an active listing down (false or misleading
    information, misuse of the mark), with the reason shown to the holder. Final: the holder may
    publish a corrected listing. Side effects: one audit event; the holder's users are notified."""
    listing = _locked_listing(actor, listing, "take_down")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": _("请填写下架理由")})
    if len(reason) > TEXT_MAX:
        raise ValidationFailed(fields={"reason": _("最多%(n)d个字") % {"n": TEXT_MAX}})
    source = _move(listing, ListingStatus.TAKEN_DOWN, action="take_down")
    listing.status_reason = reason
    listing.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
    audit.record(actor=actor, verb="market.listing.take_down", target=listing, old={"status": source},
                 new={"status": listing.status}, reason=reason)
    _tell(_entity_users(listing.holder, Role.APPLICANT), _("供应信息已被下架：%(p)s") % {"p": listing.product_name},
          _("下架理由：%(r)s") % {"r": reason}, reverse("market:my_listings"))
    return listing


# --- inquiries ----------------------------------------------------------------------------------


@transaction.atomic
def inquiry_send(*, actor, listing, message, quantity, wanted_by=None) -> Inquiry:
    """A registered buyer asks about a listing that is visible today. A withdrawn or taken-down
    listing, or one whose certificate is no longer valid, is refused (409 listing_unavailable).
    Side effects: one audit event; the holder's users are notified."""
    buyer = _actor_entity(actor, {Role.PURCHASER})
    if not BuyerProfile.objects.filter(entity=buyer).exists():
        raise PermissionDenied(_("请先填写采购商信息，成为注册采购商后再询价"), code="buyer_profile_required")
    pk = listing.pk if isinstance(listing, SupplyListing) else listing
    today = clock.today()
    try:
        target = SupplyListing.objects.select_related("holder").get(pk=pk)
    except (SupplyListing.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not SupplyListing.objects.visible(today).filter(pk=target.pk).exists():
        raise Conflict(_("该供应信息已撤回、下架或其证书已失效，不能询价"), code="listing_unavailable")
    errors = {}
    message = _text(message, field="message", errors=errors, required=_("请填写询价内容"))
    amount = _quantity(quantity, field="quantity", errors=errors)
    if wanted_by not in (None, ""):
        if not isinstance(wanted_by, datetime.date):
            errors["wanted_by"] = _("日期格式应为 YYYY-MM-DD")
        elif wanted_by < today:
            errors["wanted_by"] = _("期望到货日期不能早于今天")
    if errors:
        raise ValidationFailed(_("询价未发送，请检查标注的字段"), fields=errors)
    inquiry = Inquiry.objects.create(listing=target, buyer=buyer, sent_by=actor, message=message, quantity=amount,
                                     unit=target.unit, wanted_by=wanted_by or None)
    audit.record(actor=actor, verb="market.inquiry.send", target=inquiry,
                 new={"listing": target.pk, "buyer": buyer.name, "quantity": inquiry.quantity_text,
                      "unit": inquiry.unit, "wanted_by": inquiry.wanted_by})
    _tell(_entity_users(target.holder, Role.APPLICANT), _("收到询价：%(p)s") % {"p": target.product_name},
          _("%(b)s 询价 %(q)s%(u)s：%(m)s") % {"b": buyer.name, "q": inquiry.quantity_text, "u": inquiry.unit,
                                              "m": message[:100]},
          reverse("market:inquiry_detail", args=[inquiry.pk]))
    return inquiry


@transaction.atomic
def inquiry_reply(*, actor, inquiry, reply) -> Inquiry:
    """The holder answers an open inquiry about one of its listings (once). Side effects: one
    audit event; the buyer's user who asked is notified."""
    pk = inquiry.pk if isinstance(inquiry, Inquiry) else inquiry
    found = access_by_id(Inquiry, actor, pk, "reply")
    inquiry = Inquiry.objects.select_for_update().select_related("listing", "sent_by").get(pk=found.pk)
    if inquiry.status != InquiryStatus.OPEN:
        raise Conflict(_("该询价已答复"), code="already_answered")
    errors = {}
    reply = _text(reply, field="reply", errors=errors, required=_("请填写答复内容"))
    if errors:
        raise ValidationFailed(fields=errors)
    inquiry.reply, inquiry.replied_by, inquiry.replied_at = reply, actor, clock.now()
    inquiry.status = InquiryStatus.ANSWERED
    inquiry.save(update_fields=["reply", "replied_by", "replied_at", "status", "updated_at"])
    audit.record(actor=actor, verb="market.inquiry.reply", target=inquiry, old={"status": InquiryStatus.OPEN},
                 new={"status": inquiry.status})
    _tell([inquiry.sent_by], _("询价已答复：%(p)s") % {"p": inquiry.listing.product_name}, reply[:200],
          reverse("market:inquiry_detail", args=[inquiry.pk]))
    return inquiry
