"""The public directory of quality production bases: listed bases only, searchable by keyword,
type, level and province or city, each with its public page by directory number.

Only public facts leave this module (see `public_base`): what the base is, where, what it
produces and how much, its sign-board without the responsible person's name, the operating
entity's name and the numbers of its linked certificates valid today. No contacts, no person."""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.bases import selectors as bases
from sanpin.bases.choices import BaseLevel, BaseType
from sanpin.catalog.models import Region

from .search import region_choices


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("基地名称、产品、运营主体或目录编号"), max_length=100, required=False)
    base_type = forms.ChoiceField(label=_("基地类型"), choices=[("", _("全部")), *BaseType.choices], required=False)
    level = forms.ChoiceField(label=_("基地级别"), choices=[("", _("全部")), *BaseLevel.choices], required=False)
    region = forms.ChoiceField(label=_("地区"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()


def search_bases(*, q: str = "", base_type: str = "", level: str = "", region: str = ""):
    rows = bases.listed_bases()
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(products__icontains=q) | Q(varieties__icontains=q)
                           | Q(operator__name__icontains=q) | Q(directory_number__istartswith=q))
    if base_type:
        rows = rows.filter(base_type=base_type)
    if level:
        rows = rows.filter(level=level)
    if region:
        area = Region.objects.filter(code=region).first()
        rows = rows.filter(county__code__startswith=area.scope_prefix) if area else rows.none()
    return rows.order_by("-listed_on", "directory_number")


@dataclass
class PublicBase:
    """One listed base as the public sees it."""

    directory_number: str
    name: str
    base_type: str
    base_type_label: str
    level: str
    level_label: str
    region: str
    location: str
    products: str
    varieties: str
    area_mu: object
    output_tons: object
    coverage: str
    techniques: str
    responsible_entity: str
    listed_on: datetime.date
    certificates: list = field(default_factory=list)
    gap_certificates: list = field(default_factory=list)


def public_base(base, *, links: bool = False) -> PublicBase:
    """`links`: with the numbers of its certificates and GAP records valid today (the detail)."""
    county = base.county
    return PublicBase(
        directory_number=base.directory_number, name=base.name, base_type=base.base_type,
        base_type_label=str(base.get_base_type_display()), level=base.level, level_label=str(base.get_level_display()),
        region=county.full_name or county.name, location=base.location, products=base.products,
        varieties=base.varieties or base.products, area_mu=base.area_mu, output_tons=base.output_tons,
        coverage=base.coverage, techniques=base.techniques, responsible_entity=base.operator.name,
        listed_on=base.listed_on,
        certificates=[c.number for c in bases.valid_certificates(base)] if links else [],
        gap_certificates=[g.number for g in bases.valid_gap_certificates(base)] if links else [],
    )
