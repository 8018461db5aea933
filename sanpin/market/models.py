"""Supply–demand matching (产销对接) [000 §3(3)(6), 001 §13 §15, 002 §3(6), 003 att.4 §4(3)]:
buyers and their directory entry, certified holders' supply listings and buyers' inquiries.

A listing is shown only while it is active and its certificate is valid on the day asked for;
that is computed when read (`SupplyListing.objects.visible(on=day)`), never stored, so a revoked,
suspended or expired certificate hides its listings at once everywhere.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.certificates.choices import MARK_NAMES, Scheme, Status
from sanpin.certificates.models import Certificate, quantity_text
from sanpin.core.access import ENTITY, RestrictedQuerySet, ScopeRule, scope_for
from sanpin.core.models import BaseModel

from .choices import BuyerType, InquiryStatus, ListingStatus, ProductField, field_labels

BUYER_ACTIONS = {
    # A buyer's own users keep its profile; staff of its region read it.
    "view": REVIEW_STAFF_ROLES | {Role.PURCHASER},
    "change": frozenset({Role.PURCHASER}),
}
LISTING_ACTIONS = {
    # The holder's own users see and change their listings; staff of the holder's region see them
    # and may take one down. The public reads visible listings through `visible`, not `restrict`.
    "view": REVIEW_STAFF_ROLES | {Role.APPLICANT},
    "change": frozenset({Role.APPLICANT}),
    "take_down": REVIEW_STAFF_ROLES,
}
INQUIRY_ACTIONS = {
    # Private to the two sides: the buyer that sent it and the holder of the listing it is about.
    "view": frozenset({Role.PURCHASER, Role.APPLICANT}),
    "send": frozenset({Role.PURCHASER}),
    "reply": frozenset({Role.APPLICANT}),
}


def valid_certificates(on: datetime.date):
    """Certificate terms valid on `on`: status valid (the certificates app's own reading, which
    turns a lapsed term into expired) and already started."""
    return Certificate.objects.effective(Status.VALID, on).filter(valid_from__lte=on)


class BuyerProfile(BaseModel):
    """A purchasing organisation's trade profile (采购商: 经销商, 商超, 食堂/餐饮, 电商, 农批市场, 加工企业):
    what it buys, where it buys or sells, and whether it is listed in the public dealer directory.
    A user with the PURCHASER role is a registered buyer once its organisation has a profile."""

    entity = models.OneToOneField("catalog.Entity", verbose_name=_("采购单位"), on_delete=models.PROTECT,
                                  related_name="buyer_profile")
    buyer_type = models.CharField(_("采购商类型"), max_length=20, choices=BuyerType.choices)
    # Codes wrapped in commas (",fruit,tea,") so that one field is found by a plain LIKE on every database.
    product_fields = models.CharField(_("采购产品领域"), max_length=200)
    serves_nationwide = models.BooleanField(_("面向全国"), default=False)
    regions = models.ManyToManyField("catalog.Region", verbose_name=_("服务地区"), blank=True, related_name="+")
    description = models.TextField(_("简介"), blank=True)
    listed = models.BooleanField(_("列入经销商名录"), default=False, db_index=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填写人"), on_delete=models.PROTECT,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="entity__region", entity_field="entity", actions=BUYER_ACTIONS)

    class Meta:
        ordering = ["entity__name"]
        verbose_name = _("采购商信息")
        verbose_name_plural = _("采购商信息")

    def __str__(self):
        return f"{self.entity} · {self.get_buyer_type_display()}"

    @property
    def field_codes(self) -> list[str]:
        return [c for c in self.product_fields.split(",") if c]

    @property
    def field_labels(self) -> list[str]:
        return field_labels(self.field_codes)


class ListingQuerySet(RestrictedQuerySet):
    def visible(self, on: datetime.date):
        """Listings anyone may see on `on`: active, by an active organisation, and backed by a
        valid term of their certificate's number held by the same organisation (a renewal keeps
        the listing up; a revocation, suspension or expiry takes it down the same moment)."""
        backing = valid_certificates(on).filter(number=OuterRef("certificate__number"), holder=OuterRef("holder"))
        return self.filter(Exists(backing), status=ListingStatus.ACTIVE, holder__is_active=True)


class SupplyListing(BaseModel):
    """What a certified holder offers (供应信息): the certified product, how much and when, where and
    whom to call. The certified mark is the certificate's scheme's; contacts are shown only to
    registered buyers, the holder's users and staff in scope (selectors.may_see_contacts).

    Status changes only in services: withdraw and republish (holder), take down (staff)."""

    holder = models.ForeignKey("catalog.Entity", verbose_name=_("供应单位"), on_delete=models.PROTECT,
                               related_name="supply_listings")
    certificate = models.ForeignKey(Certificate, verbose_name=_("证书"), on_delete=models.PROTECT,
                                    related_name="supply_listings")
    product_name = models.CharField(_("产品名称"), max_length=120)
    product_field = models.CharField(_("产品领域"), max_length=20, choices=ProductField.choices, db_index=True)
    supply_from_month = models.PositiveSmallIntegerField(_("供应期起（月）"))
    supply_to_month = models.PositiveSmallIntegerField(_("供应期止（月）"))
    quantity = models.DecimalField(_("可供数量"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("单位"), max_length=20)
    packaging = models.CharField(_("包装规格"), max_length=120, blank=True)
    region = models.ForeignKey("catalog.Region", verbose_name=_("产地"), on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("联系人"), max_length=60)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.ACTIVE,
                              db_index=True)
    status_reason = models.TextField(_("下架理由"), blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                   related_name="+")

    objects = ListingQuerySet.as_manager()
    scope = ScopeRule(region_field="holder__region", entity_field="holder", actions=LISTING_ACTIONS)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("供应信息")
        verbose_name_plural = _("供应信息")
        indexes = [models.Index(fields=["status", "product_field"], name="listing_status_field_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(supply_from_month__gte=1, supply_from_month__lte=12,
                                               supply_to_month__gte=1, supply_to_month__lte=12),
                                   name="listing_months_in_range"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="listing_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.product_name}（{self.holder}）"

    @property
    def scheme(self) -> str:
        return self.certificate.scheme

    @property
    def mark(self) -> str:
        return str(MARK_NAMES[Scheme(self.certificate.scheme)])

    @property
    def quantity_text(self) -> str:
        return quantity_text(self.quantity)

    @property
    def season_text(self) -> str:
        start, end = self.supply_from_month, self.supply_to_month
        if (end - start) % 12 == 11:
            return str(_("全年"))
        return _("%(a)d月至%(b)d月") % {"a": start, "b": end} if start != end else _("%(a)d月") % {"a": start}


def in_season(month: int) -> Q:
    """Listings whose supply period (possibly over the new year, e.g. 11月至2月) covers `month`."""
    straight = Q(supply_from_month__lte=models.F("supply_to_month")) & Q(supply_from_month__lte=month,
                                                                         supply_to_month__gte=month)
    wrapped = Q(supply_from_month__gt=models.F("supply_to_month")) & (
        Q(supply_from_month__lte=month) | Q(supply_to_month__gte=month))
    return straight | wrapped


class InquiryQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """Each side sees only its own: a buyer the inquiries its organisation sent, a holder those
        about its listings. Staff have no access: these are private business messages."""
        scope = scope_for(user, action, self.model)
        if scope.kind != ENTITY:
            return self.none()
        roles = user.roles & INQUIRY_ACTIONS[action]
        sides = Q()
        if Role.PURCHASER in roles:
            sides |= Q(buyer_id=scope.value)
        if Role.APPLICANT in roles:
            sides |= Q(listing__holder_id=scope.value)
        return self.filter(sides) if sides else self.none()


class Inquiry(BaseModel):
    """A registered buyer's inquiry about a visible listing (询价/采购意向) and the holder's answer."""

    listing = models.ForeignKey(SupplyListing, verbose_name=_("供应信息"), on_delete=models.PROTECT,
                                related_name="inquiries")
    buyer = models.ForeignKey("catalog.Entity", verbose_name=_("采购单位"), on_delete=models.PROTECT,
                              related_name="market_inquiries")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("询价人"), on_delete=models.PROTECT,
                                related_name="+")
    message = models.TextField(_("询价内容"))
    quantity = models.DecimalField(_("意向数量"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("单位"), max_length=20)
    wanted_by = models.DateField(_("期望到货日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.OPEN,
                              db_index=True)
    reply = models.TextField(_("答复"), blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = InquiryQuerySet.as_manager()
    scope = ScopeRule(entity_field="buyer", actions=INQUIRY_ACTIONS)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("询价")
        verbose_name_plural = _("询价")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="inquiry_quantity_positive")]

    def __str__(self):
        return f"{self.buyer} → {self.listing.product_name}"

    @property
    def quantity_text(self) -> str:
        return quantity_text(self.quantity)
