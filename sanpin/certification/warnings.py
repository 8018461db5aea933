"""Warnings shown to an applicant while an application is drafted, and to reviewers on it: they
never block submission, they say what the review will look at (SPEC §2). A scheme names the
checks it uses in SchemeConfig.warnings."""

from django.utils.translation import gettext as _

from sanpin.core import clock
from sanpin.inputs import selectors as allowed
from sanpin.inputs.choices import InputKind

from .choices import ApplicationKind


def trademark_unregistered(application) -> list[str]:
    """Green food products whose trademark is not one of the entity's registered trademarks
    [001 §5]."""
    if application.kind != ApplicationKind.INITIAL:
        return []
    registered = {name.strip() for name in application.entity.trademarks.values_list("name", flat=True)}
    return [
        _("产品“%(product)s”未使用注册商标%(mark)s：绿色食品须使用已注册商标，请先办理商标注册或填写已注册商标")
        % {"product": product.name,
           "mark": f"（“{product.trademark}”未在本单位注册商标中）" if product.trademark else ""}
        for product in application.products.all()
        if product.trademark.strip() not in registered
    ]


def declared_inputs_not_allowed(application) -> list[str]:
    """Each declared input of a kind covered by the allowed-input list in force for the applicant's
    region (its province's, else a national one) that is not on the list; and each pesticide on
    the list without a residue limit for the crop it is declared for (NY/T 393; seed 002 §3(7))."""
    day = clock.today()
    region = application.entity.region_id
    lists: dict[str, object] = {}
    out = []
    for item in application.declared_inputs.select_related("product"):
        if item.kind not in lists:
            lists[item.kind] = allowed.list_in_force(region, item.kind, day)
        lst = lists[item.kind]
        if lst is None:
            continue
        crop = item.crop or (item.product.name if item.product_id else "")
        entry = allowed.find_input(lst, item.name)
        if entry is None:
            out.append(_("申报的%(kind)s“%(name)s”（用于%(crop)s）不在《%(list)s》中：绿色食品生产只能使用清单内的%(kind)s，"
                         "审查时将重点核实其来源和使用记录") % {
                "kind": item.get_kind_display(), "name": item.name, "crop": crop or _("未注明的作物"),
                "list": lst.title})
            continue
        if item.kind != InputKind.PESTICIDE:
            continue
        category = item.product.category if item.product_id else ""
        if not allowed.limits_on(entry, day, crop=item.crop, category="" if item.crop else category):
            out.append(_("农药“%(name)s”在《%(list)s》中，但清单未规定其在“%(crop)s”上的残留限量：请核实该农药是否登记用于"
                         "该作物，审查时将重点核实") % {"name": item.name, "list": lst.title,
                                             "crop": crop or _("未注明的作物")})
    return out


CHECKS = {
    "trademark_unregistered": trademark_unregistered,
    "declared_inputs_not_allowed": declared_inputs_not_allowed,
}


def register(name: str):
    """Decorator for a scheme module to add its own check."""
    def wrap(function):
        CHECKS[name] = function
        return function
    return wrap


def draft_warnings(application) -> list[str]:
    from .schemes import scheme_config

    out: list[str] = []
    for name in scheme_config(application.scheme).warnings:
        out.extend(CHECKS[name](application))
    return out
