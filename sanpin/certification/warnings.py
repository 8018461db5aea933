"""Warnings shown to an applicant while an application is drafted, and to reviewers on it: they
never block submission, they say what the review will look at (SPEC §2). A scheme names the
checks it uses in SchemeConfig.warnings."""

from django.utils.translation import gettext as _

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


CHECKS = {
    "trademark_unregistered": trademark_unregistered,
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
