"""Who a delivery or an attendance line names: an organisation by its unified social credit code,
or one of its production bases by directory number (JD…) or by its exact name. Resolved within the
caller's region only, so a code from another region reads as not found."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sanpin.bases.models import Base
from sanpin.catalog.models import Entity, Region

USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


@dataclass(frozen=True)
class Recipient:
    entity: Entity
    base: Base | None
    region_id: str

    @property
    def key(self) -> tuple:
        return ("base", self.base.pk) if self.base else ("entity", self.entity.pk)

    @property
    def label(self) -> str:
        return f"{self.base.name}（{self.entity.name}）" if self.base else self.entity.name


def _in(prefix: str | None, code: str) -> bool:
    return prefix is None or code.startswith(prefix)


def resolve(code: str, *, prefix: str | None) -> Recipient | str:
    """The recipient `code` names inside the region with code `prefix` (None: anywhere), or a
    Chinese message saying why not."""
    code = (code or "").strip()
    if not code:
        return _("空行")
    if USCC.match(code.upper()):
        code = code.upper()
        entity = Entity.objects.filter(uscc=code).select_related("region").first()
        if entity is None or not _in(prefix, entity.region_id):
            return _("未找到该主体，或不在您的管辖范围内")
        if not entity.is_active:
            return _("该主体已注销")
        return Recipient(entity, None, entity.region_id)
    bases = Base.objects.select_related("operator")
    by_number = code.upper().startswith("JD")
    bases = bases.filter(directory_number=code.upper()) if by_number else bases.filter(name=code)
    if prefix is not None:
        bases = bases.filter(county__code__startswith=prefix)
    found = list(bases[:2])
    if not found:
        return _("未找到该主体或基地，或不在您的管辖范围内（主体填统一社会信用代码，基地填目录编号或全称）")
    if len(found) > 1:
        return _("有多个同名基地，请改填目录编号")
    return Recipient(found[0].operator, found[0], found[0].county_id)


def within(recipient: Recipient, region: Region) -> bool:
    return recipient.region_id.startswith(region.scope_prefix)
