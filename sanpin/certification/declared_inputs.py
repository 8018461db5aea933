"""The inputs an applicant declares on an application (申报投入品): checked, added and removed only
here, while the application is a draft or answers a supplement request, by the applicant itself.
Each change is one transaction with its audit event. The check against the allowed-input lists is
a review flag (warnings.declared_inputs_not_allowed), never a bar to submission."""

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.accounts.choices import Role
from sanpin.core import audit
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from sanpin.inputs.choices import InputKind

from .choices import DRAFT, SUPPLEMENT
from .models import Application, DeclaredInput
from .schemes import scheme_config

EDITABLE_STATES = frozenset({DRAFT, SUPPLEMENT})
MAX_INPUTS = 200
LIMITS = {"name": 80, "crop": 60, "dosage": 80, "note": 200}


def declares_inputs(application) -> bool:
    return bool(scheme_config(application.scheme).extra.get("declares_inputs"))


def may_edit(user, application) -> bool:
    return (Role.APPLICANT in user.roles and user.entity_id == application.entity_id
            and application.state in EDITABLE_STATES and declares_inputs(application))


def clean_inputs(items, products) -> tuple[list[dict], dict]:
    """Declared inputs as sent (API list or form) → (values, {"inputs[i].field": problem}). `product`
    names one of the application's products (by name), or is blank."""
    by_name = {p.name: p for p in products}
    cleaned, errors = [], {}
    if not isinstance(items, list | tuple):
        return [], {"inputs": _("投入品应为列表")}
    if len(items) > MAX_INPUTS:
        return [], {"inputs": _("一次最多申报 %d 种投入品") % MAX_INPUTS}
    for i, raw in enumerate(items):
        raw = raw if isinstance(raw, dict) else {}
        values = {name: str(raw.get(name) or "").strip() for name in ("kind", "name", "crop", "dosage", "note")}
        if values["kind"] not in InputKind.values:
            errors[f"inputs[{i}].kind"] = _("投入品类别应为：%s") % "、".join(
                f"{k.value}（{k.label}）" for k in InputKind)
        if not values["name"]:
            errors[f"inputs[{i}].name"] = _("请填写投入品通用名")
        for name, limit in LIMITS.items():
            if len(values[name]) > limit:
                errors[f"inputs[{i}].{name}"] = _("不超过 %d 字") % limit
        product_name = str(raw.get("product") or "").strip()
        product = by_name.get(product_name) if product_name else None
        if product_name and product is None:
            errors[f"inputs[{i}].product"] = _("“%s”不是本申请的产品") % product_name
        if not values["crop"] and product is None:
            errors[f"inputs[{i}].crop"] = _("请填写使用的作物或对象，或选择用于的产品")
        cleaned.append({**values, "product": product})
    return cleaned, errors


def _check_editable(actor, application) -> Application:
    if Role.APPLICANT not in actor.roles or actor.entity_id != application.entity_id:
        raise PermissionDenied(_("只有申请人本单位可以申报投入品"))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not declares_inputs(application):
        raise ValidationFailed(fields={"inputs": _("%s申请不申报投入品") % scheme_config(application.scheme).name})
    if application.state not in EDITABLE_STATES:
        raise Conflict(_("申请已提交，只有草稿或补正材料时可以修改申报的投入品"))
    return application


def _text(item) -> str:
    return f"{item.get_kind_display()} {item.name}（{item.crop or (item.product.name if item.product else '')}）"


def create_declared(application, cleaned) -> list[DeclaredInput]:
    """Write checked inputs (the caller holds the lock and writes the audit event)."""
    return [DeclaredInput.objects.create(application=application, **values) for values in cleaned]


@transaction.atomic
def declared_input_add(*, actor, application, kind: str, name: str, crop: str = "", dosage: str = "",
                       note: str = "", product: str = "") -> DeclaredInput:
    """Declare one input. Side effects: one audit event."""
    application = _check_editable(actor, application)
    cleaned, errors = clean_inputs([{"kind": kind, "name": name, "crop": crop, "dosage": dosage, "note": note,
                                     "product": product}], list(application.products.all()))
    if errors:
        raise ValidationFailed(fields={key.replace("inputs[0].", ""): value for key, value in errors.items()})
    item = create_declared(application, cleaned)[0]
    audit.record(actor=actor, verb="application.input_add", target=application, new={"input": _text(item)})
    return item


@transaction.atomic
def declared_input_remove(*, actor, application, item_id) -> None:
    """Withdraw one declared input. Side effects: one audit event."""
    application = _check_editable(actor, application)
    item = DeclaredInput.objects.filter(application=application, pk=item_id).select_related("product").first() \
        if str(item_id).isdigit() else None
    if item is None:
        raise NotFound(_("本申请没有该投入品"))
    audit.record(actor=actor, verb="application.input_remove", target=application, old={"input": _text(item)})
    item.delete()
