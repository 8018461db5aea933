"""Public credit information (信用信息公示, SPEC §7 and §9): no sign-in.

- 守信主体名单: entities whose credit standing is grade A and that hold a certificate valid today,
  with name, USCC (withheld for individual businesses), region and the schemes they hold.
- 取消标志使用权: revocations decided by the national level (pending and declined requests never
  appear), with the day decided, holder, product, certificate number and the causes.

Only public facts leave this module: no score, no events, no contacts, no decision notes (those
may name people or internal findings); the causes are the published cause labels."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.models import Region
from sanpin.certificates.choices import Scheme, Status
from sanpin.certificates.models import Certificate
from sanpin.credit.models import CreditStanding
from sanpin.supervision import causes as cause_tables
from sanpin.supervision.models import RevocationRequest, RevocationStatus

from .search import public_uscc, region_choices

TAB_A_LIST = "a"
TAB_REVOCATIONS = "revocations"


class CreditSearchForm(forms.Form):
    q = forms.CharField(label=_("主体名称、统一社会信用代码、产品或证书编号"), max_length=100, required=False)
    region = forms.ChoiceField(label=_("地区"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()


def _region_prefix(code: str) -> str | None:
    area = Region.objects.filter(code=code).first()
    return area.scope_prefix if area else None


def _valid_certificates(today: datetime.date):
    return Certificate.objects.filter(renewed=False, status=Status.VALID, valid_from__lte=today,
                                      valid_until__gte=today)


def a_list(*, q: str = "", region: str = "", today: datetime.date):
    """Standing rows of grade A whose entity holds a certificate valid today."""
    rows = (CreditStanding.objects.filter(grade="A")
            .filter(Exists(_valid_certificates(today).filter(holder=OuterRef("entity"))))
            .select_related("entity", "entity__region"))
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(entity__name__icontains=q) | Q(entity__uscc__iexact=q))
    if region:
        prefix = _region_prefix(region)
        rows = rows.filter(entity__region__code__startswith=prefix) if prefix else rows.none()
    return rows.order_by("entity__region_id", "entity__name")


@dataclass
class PublicHolder:
    name: str
    uscc: str
    region: str
    schemes: list
    graded_on: datetime.date


def public_holders(page_rows, today: datetime.date) -> list[PublicHolder]:
    """The page's rows as the public sees them, with their schemes (one query for the page)."""
    ids = [row.entity_id for row in page_rows]
    schemes: dict[int, set] = {}
    for holder_id, scheme in _valid_certificates(today).filter(holder_id__in=ids).values_list(
            "holder_id", "scheme").distinct():
        schemes.setdefault(holder_id, set()).add(scheme)
    return [PublicHolder(name=row.entity.name, uscc=public_uscc(row.entity.uscc),
                         region=row.entity.region.full_name or row.entity.region.name,
                         schemes=[str(Scheme(s).label) for s in sorted(schemes.get(row.entity_id, ()))],
                         graded_on=row.computed_on) for row in page_rows]


def revocations(*, q: str = "", region: str = ""):
    """Decided revocations, latest first."""
    rows = (RevocationRequest.objects.filter(status=RevocationStatus.REVOKED)
            .select_related("certificate", "certificate__holder", "certificate__holder__region", "announcement"))
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(certificate__holder__name__icontains=q) | Q(certificate__holder__uscc__iexact=q)
                           | Q(certificate__product_name__icontains=q) | Q(certificate__number__iexact=q))
    if region:
        prefix = _region_prefix(region)
        rows = rows.filter(certificate__holder__region__code__startswith=prefix) if prefix else rows.none()
    return rows.order_by("-decided_at", "-pk")


@dataclass
class PublicRevocation:
    decided_on: datetime.date
    holder_name: str
    holder_uscc: str
    region: str
    product_name: str
    certificate_number: str
    scheme: str
    reason: str
    announcement_id: int | None


def public_revocation(request: RevocationRequest) -> PublicRevocation:
    certificate = request.certificate
    holder = certificate.holder
    labels = cause_tables.labels(cause_tables.REVOCATION_CAUSES, certificate.scheme)
    return PublicRevocation(
        decided_on=timezone.localdate(request.decided_at) if request.decided_at else None,
        holder_name=holder.name, holder_uscc=public_uscc(holder.uscc),
        region=holder.region.full_name or holder.region.name, product_name=certificate.product_name,
        certificate_number=certificate.number, scheme=str(certificate.get_scheme_display()),
        reason="；".join(str(labels.get(c, c)) for c in request.causes or []),
        announcement_id=request.announcement_id)
