"""Public search of the registry across schemes: certified products and their holders.

Only public facts leave this module (see `public_row`): holder name and region, the enterprise
USCC, product, number, scheme, validity and the status on the day. Contacts never appear, and the
USCC of an individual business (个体工商户, USCC starting "92") is withheld.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.certificates.choices import EffectiveStatus, Scheme
from sanpin.certificates.models import Certificate

INDIVIDUAL_USCC_PREFIX = "92"


def public_uscc(uscc: str) -> str:
    """The USCC as the public may see it: an enterprise's is public, an individual's is not."""
    return "" if (uscc or "").startswith(INDIVIDUAL_USCC_PREFIX) else uscc


def region_choices() -> list[tuple[str, str]]:
    """Provinces and, under each, its cities — the two levels the public search filters by."""
    rows = (Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.CITY], is_active=True)
            .order_by("code").values_list("code", "name", "level"))
    return [("", _("全国")),
            *((code, name if level == RegionLevel.PROVINCE else f"　{name}") for code, name, level in rows)]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("产品、主体名称或编号"), max_length=100, required=False)
    scheme = forms.ChoiceField(label=_("认证类型"), choices=[("", _("全部")), *Scheme.choices], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *EffectiveStatus.choices], required=False)
    region = forms.ChoiceField(label=_("地区"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()


def search(*, q: str = "", scheme: str = "", status: str = "", region: str = "", today: datetime.date):
    """Current terms (not the replaced terms of renewed certificates) matching the filters, with
    holder and region joined in one query. `status` is the effective status on `today`."""
    rows = (Certificate.objects.filter(renewed=False)
            .select_related("holder", "holder__region", "province", "country")
            .with_effective_status(today))
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(product_name__icontains=q) | Q(holder__name__icontains=q) | Q(number__iexact=q)
                           | Q(number__istartswith=q) | Q(holder__uscc__iexact=q))
    if scheme:
        rows = rows.filter(scheme=scheme)
    if status:
        rows = rows.effective(status, today)
    if region:
        area = Region.objects.filter(code=region).first()
        rows = rows.filter(holder__region__code__startswith=area.scope_prefix) if area else rows.none()
    return rows.order_by("-approved_on", "number")


@dataclass
class PublicRow:
    """One search hit as the public sees it."""

    number: str
    scheme: str
    scheme_label: str
    product_name: str
    trademark: str
    holder_name: str
    holder_uscc: str
    region: str
    valid_from: datetime.date
    valid_until: datetime.date
    status: str
    status_label: str


def public_row(certificate: Certificate, today: datetime.date) -> PublicRow:
    holder = certificate.holder
    region = holder.region
    return PublicRow(
        number=certificate.number, scheme=certificate.scheme, scheme_label=str(certificate.get_scheme_display()),
        product_name=certificate.product_name, trademark=certificate.trademark, holder_name=holder.name,
        holder_uscc=public_uscc(holder.uscc), region=(region.full_name or region.name) if region else "",
        valid_from=certificate.valid_from, valid_until=certificate.valid_until,
        status=certificate.effective_status(today), status_label=certificate.effective_status_label(today),
    )
