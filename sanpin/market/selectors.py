"""Reads for the market: the public listing search and detail, the dealer directory, each side's
own listings and inquiries, and who may see contacts.

Contact rule: a listing's contact (and its holder's) is shown to registered buyers, to the
holder's own users and to staff whose region covers the holder; the directory's buyer contacts
to signed-in users of an organisation holding a valid certificate, and to staff. Everyone else
gets the hint instead (views and API alike read `may_see_contacts` / `may_see_dealer_contacts`).
"""

import datetime
from collections.abc import Callable

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanpin.accounts.choices import STAFF_ROLES
from sanpin.catalog.models import Region
from sanpin.core.access import ALL, ENTITY, REGION, scope_for
from sanpin.core.errors import NotFound

from .models import BuyerProfile, Inquiry, SupplyListing, in_season, valid_certificates
from .services import is_registered_buyer

LISTING_RELATED = ("holder", "holder__region", "certificate", "region")
CONTACT_HINT = gettext_lazy("登录采购商账号后可查看联系方式")


def _area(code: str) -> Region | None:
    return Region.objects.filter(code=code).first() if code else None


def search_listings(*, on: datetime.date, q: str = "", field: str = "", scheme: str = "", region: str = "",
                    month: int | None = None):
    """Visible listings on `on` matching the filters, newest first."""
    rows = SupplyListing.objects.visible(on).select_related(*LISTING_RELATED)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(product_name__icontains=q) | Q(holder__name__icontains=q) | Q(description__icontains=q)
                           | Q(certificate__number__iexact=q))
    if field:
        rows = rows.filter(product_field=field)
    if scheme:
        rows = rows.filter(certificate__scheme=scheme)
    if region:
        area = _area(region)
        rows = rows.filter(region__code__startswith=area.scope_prefix) if area else rows.none()
    if month:
        rows = rows.filter(in_season(int(month)))
    return rows.order_by("-created_at", "-pk")


def public_listing(pk, on: datetime.date) -> SupplyListing:
    """One listing visible on `on`; a withdrawn, taken-down or unbacked one is not found."""
    try:
        return SupplyListing.objects.visible(on).select_related(*LISTING_RELATED).get(pk=pk)
    except (SupplyListing.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("该供应信息不存在、已撤回或其证书已失效")) from exc


def contact_rule(user) -> Callable[[SupplyListing], bool]:
    """A test, worked out once per request, of whether `user` may see a listing's contacts."""
    if is_registered_buyer(user):
        return lambda listing: True
    scope = scope_for(user, "view", SupplyListing)
    if scope.kind == ALL:
        return lambda listing: True
    if scope.kind == REGION:
        return lambda listing: listing.holder.region_id.startswith(scope.value)
    if scope.kind == ENTITY:
        return lambda listing: listing.holder_id == scope.value
    return lambda listing: False


def may_see_contacts(user, listing: SupplyListing) -> bool:
    return contact_rule(user)(listing)


def may_see_dealer_contacts(user, on: datetime.date) -> bool:
    """Staff, and signed-in users of an organisation that holds a certificate valid on `on`."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.roles & STAFF_ROLES:
        return True
    return bool(user.entity_id and valid_certificates(on).filter(holder_id=user.entity_id).exists())


def dealer_directory(*, q: str = "", buyer_type: str = "", field: str = "", region: str = ""):
    """Buyers that chose to be listed, of active organisations. A region matches buyers serving
    it, a region above it, a region inside it, or the whole country."""
    rows = (BuyerProfile.objects.filter(listed=True, entity__is_active=True)
            .select_related("entity", "entity__region").prefetch_related("regions"))
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(entity__name__icontains=q) | Q(description__icontains=q))
    if buyer_type:
        rows = rows.filter(buyer_type=buyer_type)
    if field:
        rows = rows.filter(product_fields__contains=f",{field},")
    if region:
        area = _area(region)
        if area is None:
            return rows.none()
        above = [r.code for r in area.ancestors()] + [area.code]
        rows = rows.filter(Q(serves_nationwide=True) | Q(regions__code__startswith=area.scope_prefix)
                           | Q(regions__code__in=above)).distinct()
    return rows.order_by("entity__name", "pk")


def buyer_profile_of(user) -> BuyerProfile | None:
    if not user.entity_id:
        return None
    return BuyerProfile.objects.filter(entity_id=user.entity_id).prefetch_related("regions").first()


def own_listings(user):
    """The listings of the user's organisation (holder side)."""
    return SupplyListing.objects.restrict(user, "change").select_related(*LISTING_RELATED)


def staff_listings(user, *, status: str = "", q: str = ""):
    """Listings of holders in the staff user's region, any status."""
    rows = SupplyListing.objects.restrict(user, "take_down").select_related(*LISTING_RELATED)
    if status:
        rows = rows.filter(status=status)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(product_name__icontains=q) | Q(holder__name__icontains=q)
                           | Q(certificate__number__iexact=q))
    return rows.order_by("-created_at", "-pk")


def visible_ids(rows, on: datetime.date) -> set[int]:
    """Of the given listings, those the public sees on `on`."""
    ids = [row.pk for row in rows]
    return set(SupplyListing.objects.visible(on).filter(pk__in=ids).values_list("pk", flat=True))


def own_inquiries(user):
    """The inquiries the user's side may read: sent by its organisation (buyer) or about its
    listings (holder)."""
    return Inquiry.objects.restrict(user, "view").select_related(
        "listing", "listing__holder", "listing__certificate", "buyer", "sent_by", "replied_by")


def inquiry_for(user, pk) -> Inquiry:
    """One of the user's own inquiries; another organisation's is not found."""
    try:
        return own_inquiries(user).get(pk=pk)
    except (Inquiry.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def listing_certificates(entity, on: datetime.date):
    """The certificate terms of `entity` valid on `on`: what it may publish listings for."""
    return valid_certificates(on).filter(holder=entity).order_by("scheme", "number")
