"""The county picker used in entity forms: province → city → county selects, each narrowed by
the choice above it (htmx swaps the block), and limited to the regions the user may use."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import RegionLevel
from .models import Region

PROMPTS = {0: _("请选择省份"), 1: _("请选择地市或区县"), 2: _("请选择区县")}


@dataclass
class PickerLevel:
    options: list
    selected: str
    reset_to: str  # the value of the first, empty option: going back to the level above
    prompt: str


def _reachable(region: Region, prefix: str) -> bool:
    """Whether `region` lies inside the prefix, or the prefix lies inside it."""
    return region.code.startswith(prefix) or prefix.startswith(region.scope_prefix)


def picker_context(field: str, code: str = "", prefix: str = "") -> dict:
    """Template context of the picker for the current choice `code` (any level). `prefix` is the
    code prefix the user may choose within ("" for the whole country)."""
    selected = Region.objects.select_related("parent__parent").filter(code=code, is_active=True).first()
    if selected is not None and not _reachable(selected, prefix):
        selected = None
    chain = [*selected.ancestors(), selected] if selected else []
    provinces = [
        r for r in Region.objects.filter(level=RegionLevel.PROVINCE, is_active=True, children__isnull=False).distinct()
        if _reachable(r, prefix)
    ]
    levels, options, parent_code = [], provinces, ""
    depth = 0
    while options:
        current = chain[depth].code if depth < len(chain) else ""
        if not current and len(options) == 1 and prefix:
            current = options[0].code  # nothing else to choose within the user's scope
            chain.append(options[0])
        levels.append(PickerLevel(options, current, parent_code, PROMPTS[min(depth, 2)]))
        if not current:
            break
        node = chain[depth]
        options = [r for r in node.children.filter(is_active=True) if _reachable(r, prefix)]
        parent_code, depth = node.code, depth + 1
    leaf = chain[-1] if chain else None
    usable = leaf is not None and leaf.accepts_entities() and leaf.code.startswith(prefix)
    return {
        "field": field,
        "levels": levels,
        "value": leaf.code if usable else "",
        "chosen": leaf if usable else None,
    }
