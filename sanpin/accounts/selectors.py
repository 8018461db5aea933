"""Reads for the workbench: what a user's agency reaches, and the organisation a user acts for."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device

from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region, Trademark

from .choices import AgencyLevel


@dataclass
class ScopeSummary:
    """What a staff user's region scope holds now."""

    label: str
    entity_total: int = 0
    entity_active: int = 0
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_area: list[tuple[Region, int]] = field(default_factory=list)


def scope_label(user) -> str:
    agency = user.agency
    if agency is None or agency.level == AgencyLevel.NATIONAL:
        return _("全国")
    region = agency.region
    return _("%(region)s及所辖区划") % {"region": "".join(r.name for r in [*region.ancestors(), region])}


def _area_children(user):
    """The regions one level below the user's agency region (provinces for national staff)."""
    agency = user.agency
    if agency is None or agency.level == AgencyLevel.NATIONAL:
        return list(Region.objects.filter(parent__isnull=True))
    return list(Region.objects.filter(parent=agency.region))


def staff_scope_summary(user) -> ScopeSummary:
    """Counts of the entities the user may view, by kind and by the next region level down.
    One grouped query per breakdown; regions are matched by code prefix in Python."""
    entities = Entity.objects.restrict(user, "view")
    summary = ScopeSummary(label=scope_label(user))
    kind_labels = dict(EntityKind.choices)
    kinds = entities.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    summary.by_kind = [(kind_labels.get(row["kind"], row["kind"]), row["n"]) for row in kinds]
    summary.entity_total = sum(n for _, n in summary.by_kind)
    summary.entity_active = entities.filter(is_active=True).count() if summary.entity_total else 0
    per_region = Counter(dict(entities.values_list("region_id").annotate(n=Count("id")).order_by()))
    if per_region:
        children = sorted(_area_children(user), key=lambda r: len(r.scope_prefix), reverse=True)
        per_child = Counter()
        for code, n in per_region.items():
            child = next((c for c in children if code.startswith(c.scope_prefix)), None)
            if child is not None:
                per_child[child] += n
        summary.by_area = sorted(per_child.items(), key=lambda item: item[0].code)
    return summary


def own_entity(user):
    """The organisation the user acts for, through the scoped query like any other read."""
    if not user.entity_id:
        return None
    return Entity.objects.restrict(user, "view").select_related("region").filter(pk=user.entity_id).first()


def entity_trademarks(user, entity):
    return list(Trademark.objects.restrict(user, "view").filter(entity=entity))


def qualifications_of(user):
    today = timezone.localdate()
    rows = list(user.qualifications.select_related("province"))
    return [(q, q.is_valid_on(today)) for q in rows]


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)
