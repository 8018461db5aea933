"""Forms of the application pages. They only parse what the user typed; the rules (what a
product needs, which inputs an action requires) live in the engine, whose ValidationFailed
messages are put back on these forms."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.accounts import registries
from sanpin.accounts.choices import ExpertSpecialty, LabTest
from sanpin.catalog.models import Country
from sanpin.core import clock
from sanpin.core.errors import ValidationFailed
from sanpin.core.views.forms import add_service_errors
from sanpin.core.widgets import DateInput
from sanpin.inputs.choices import InputKind

from .choices import STATE_LABELS, ApplicationKind, AttachmentKind, Scheme
from .schemes import SCHEMES, scheme_config

PRODUCT_ERROR = re.compile(r"^products\[(\d+)\]\.(\w+)$")


# --- the list -------------------------------------------------------------------------------------


def state_choices():
    """Every state in workflow order: draft, each scheme's steps, then the closing states."""
    states = {"draft": str(STATE_LABELS["draft"])}
    states.update({code: str(spec.name) for config in SCHEMES.values() for code, spec in config.steps.items()})
    states.update({code: str(label) for code, label in STATE_LABELS.items() if code not in states})
    return [("", _("全部")), *states.items()]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("编号或申请人"), required=False, max_length=60)
    scheme = forms.ChoiceField(label=_("认证类型"), required=False, choices=[("", _("全部")), *Scheme.choices])
    kind = forms.ChoiceField(label=_("申请类型"), required=False, choices=[("", _("全部")), *ApplicationKind.choices])
    state = forms.ChoiceField(label=_("状态"), required=False, choices=state_choices)


# --- the wizard -----------------------------------------------------------------------------------


class ProductForm(forms.Form):
    """One product row. Every field is optional here: a blank row is skipped and the engine
    judges the rest, so the messages are the same as through the API."""

    name = forms.CharField(label=_("产品名称"), required=False, max_length=120)
    category = forms.ChoiceField(label=_("产品类别"), required=False)
    trademark = forms.CharField(label=_("商标"), required=False, max_length=80)
    approved_output = forms.CharField(label=_("申请产量"), required=False, max_length=20)
    output_unit = forms.CharField(label=_("单位"), required=False, max_length=10, initial="吨")
    registration_no = forms.CharField(label=_("登记证号"), required=False, max_length=60)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("请选择")), *[(c, f"{c} {label}") for c, label in categories]]

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(str(data.get(key) or "").strip() for key in ("name", "category", "trademark",
                                                                  "approved_output", "registration_no"))


ProductFormSet = forms.formset_factory(ProductForm, extra=0, min_num=1, max_num=50, absolute_max=50)


class ApplicationCreateForm(forms.Form):
    scheme = forms.ChoiceField(label=_("认证类型"), choices=Scheme.choices, initial=Scheme.GREEN_INPUTS,
                               widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("申请类型"), choices=ApplicationKind.choices)
    applicant_conditions = forms.MultipleChoiceField(label=_("申请人条件"), required=False,
                                                     widget=forms.CheckboxSelectMultiple)
    product_conditions = forms.MultipleChoiceField(label=_("产品条件"), required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    change_product_name = forms.CharField(label=_("变更后的产品名称"), required=False, max_length=120)
    change_trademark = forms.CharField(label=_("变更后的商标"), required=False, max_length=80)
    change_approved_output = forms.CharField(label=_("变更后的核准产量"), required=False, max_length=20)
    change_company_name = forms.CharField(label=_("变更后的单位名称"), required=False, max_length=120)
    stop_reason = forms.CharField(label=_("停止使用的原因"), required=False, max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("如丧失生产条件的情况"))
    stop_lost_on = forms.DateField(label=_("丧失生产条件的日期"), required=False,
                                   widget=DateInput(),
                                   help_text=_("应在丧失生产条件后一个月内报告 [004 §22]"))
    origin_country = forms.ChoiceField(label=_("境外产品的生产国"), required=False,
                                       help_text=_("境内生产的产品留空；境外产品按国别编号（51 起）"))

    def __init__(self, *args, kinds=None, scheme=Scheme.GREEN_INPUTS, **kwargs):
        super().__init__(*args, **kwargs)
        config = scheme_config(scheme)
        self.fields["origin_country"].choices = [("", "—")] + [
            (c.iso_code, f"{c.name}（{c.iso_code}）") for c in Country.objects.order_by("iso_code")]
        self.fields["applicant_conditions"].choices = list(config.applicant_conditions)
        self.fields["product_conditions"].choices = list(config.product_conditions)
        self.scheme_fields = []
        for spec in config.data_fields:
            field = {
                "bool": lambda s: forms.BooleanField(label=s.label, required=False, help_text=s.help),
                "date": lambda s: forms.DateField(label=s.label, required=False, help_text=s.help,
                                                  widget=DateInput()),
            }.get(spec.kind, lambda s: forms.CharField(label=s.label, required=False, max_length=500,
                                                        help_text=s.help))(spec)
            self.fields[f"data_{spec.code}"] = field
            self.scheme_fields.append((spec, f"data_{spec.code}"))
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in ApplicationKind.choices if k in kinds]

    def scheme_bound_fields(self):
        return [(spec, self[name]) for spec, name in self.scheme_fields]

    def service_data(self) -> dict:
        data = self.cleaned_data
        changes = {key: data[f"change_{key}"] for key in ("product_name", "trademark", "approved_output",
                                                          "company_name")
                   if data.get(f"change_{key}", "").strip()}
        out = {
            "applicant_conditions": {code: True for code in data["applicant_conditions"]},
            "product_conditions": {code: True for code in data["product_conditions"]},
        }
        if data["kind"] == ApplicationKind.CHANGE and changes:
            out["changes"] = changes
        if data["kind"] == ApplicationKind.STOP:
            if data["stop_reason"].strip():
                out["stop_reason"] = data["stop_reason"]
            if data.get("stop_lost_on"):
                out["lost_on"] = data["stop_lost_on"].isoformat()
        for spec, name in self.scheme_fields:
            if data["kind"] in spec.kinds and data.get(name) not in (None, "", False):
                value = data[name]
                out[spec.code] = value.isoformat() if hasattr(value, "isoformat") else value
        if data["kind"] == ApplicationKind.INITIAL and data.get("origin_country"):
            out["origin_country"] = data["origin_country"]
        return out


CREATE_ERROR_FIELDS = {"changes": "change_product_name", "lost_on": "stop_lost_on"}


def add_create_errors(form: ApplicationCreateForm, formset, rows: list[int], exc: ValidationFailed) -> None:
    """Put the engine's errors where they belong: `products[i].field` on the i-th non-blank row."""
    rest = {}
    for name, messages in exc.fields.items():
        match = PRODUCT_ERROR.match(name)
        if match and int(match.group(1)) < len(rows):
            row = formset.forms[rows[int(match.group(1))]]
            for message in messages:
                row.add_error(match.group(2) if match.group(2) in row.fields else None, message)
        else:
            rest[name] = messages
    if rest or not exc.fields:
        add_service_errors(form, ValidationFailed(exc.message, fields=rest), CREATE_ERROR_FIELDS)


# --- materials ------------------------------------------------------------------------------------


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("文件"), required=False,
                           help_text=_("PDF、JPG、PNG 或 Office 文档（docx、xlsx），不超过 20 MB"))


class DeclaredInputForm(forms.Form):
    """One declared input; the service checks it (kind, name, a crop or a product). Prefixed: the
    draft page also carries the attachment form, whose `kind` is another field."""

    prefix = "input"

    kind = forms.ChoiceField(label=_("投入品类别"), choices=InputKind.choices)
    name = forms.CharField(label=_("通用名"), required=False, max_length=80,
                           widget=forms.TextInput(attrs={"placeholder": "如 吡虫啉"}))
    product = forms.ChoiceField(label=_("用于产品"), required=False)
    crop = forms.CharField(label=_("作物/对象"), required=False, max_length=60,
                           widget=forms.TextInput(attrs={"placeholder": "如 水稻"}))
    dosage = forms.CharField(label=_("用量"), required=False, max_length=80,
                             widget=forms.TextInput(attrs={"placeholder": "如 10% 可湿性粉剂 20 克/亩"}))
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", "——")] + [(p.name, p.name) for p in products]


# --- actions --------------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """The inputs one action asks for: exactly the fields of its `requires`. Fields are
    optional here; the engine says which are missing."""

    def __init__(self, *args, action, application, **kwargs):
        prefix = kwargs.pop("prefix", None) or f"a-{action.code}"
        super().__init__(*args, prefix=prefix, **kwargs)
        self.action = action
        requires = set(action.requires)
        config = scheme_config(application.scheme)
        today = clock.today()
        if "inspector" in requires:
            self.fields["inspector"] = forms.ModelChoiceField(
                label=_("检查员"), required=False, empty_label=_("请选择"),
                queryset=registries.eligible_inspectors(province_code=application.entity.region_id,
                                                        kinds=config.extra.get("inspector_kinds", ()),
                                                        on_date=today),
                help_text=_("本省持有效资格的检查员"),
            )
            self.fields["inspector"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        if "lab_tests" in requires:
            self.fields["lab"] = forms.ModelChoiceField(
                label=_("检测机构"), required=False, empty_label=_("请选择"),
                queryset=registries.designated_labs(scheme=application.scheme, test_codes=(), on_date=today),
            )
            self.fields["lab_tests"] = forms.MultipleChoiceField(
                label=_("专项检测项目"), required=False, choices=LabTest.choices, widget=forms.CheckboxSelectMultiple)
        if "experts" in requires:
            self.fields["specialty"] = forms.ChoiceField(label=_("专家专业"), required=False,
                                                         choices=[("", _("请选择")), *ExpertSpecialty.choices])
            self.fields["size"] = forms.IntegerField(
                label=_("抽取人数"), required=False, min_value=1, max_value=15,
                initial=config.extra.get("expert_panel_size", 3))
        if "favourable" in requires:
            self.fields["favourable"] = forms.TypedChoiceField(
                label=_("评审结论"), required=False, widget=forms.RadioSelect, empty_value=None,
                choices=[("yes", _("同意")), ("no", _("不同意"))], coerce=lambda value: value == "yes")
        if "days" in requires:
            self.fields["days"] = forms.IntegerField(label=_("期限（工作日）"), required=False, min_value=1,
                                                     max_value=120)
        if "reason" in requires:
            self.fields["reason"] = forms.CharField(label=_("理由"), required=False, max_length=2000,
                                                    widget=forms.Textarea(attrs={"rows": 2}))
        if "opinion" in requires:
            self.fields["opinion"] = forms.CharField(label=_("办理意见"), required=False, max_length=4000,
                                                     widget=forms.Textarea(attrs={"rows": 2}))

    def action_input(self):
        from .engine import ActionInput

        data = self.cleaned_data
        experts = None
        if "specialty" in self.fields and (data.get("specialty") or data.get("size")):
            experts = {"specialty": data.get("specialty") or "", "size": data.get("size")}
        return ActionInput(
            opinion=data.get("opinion") or "", reason=data.get("reason") or "", days=data.get("days"),
            inspector=data.get("inspector"), lab=data.get("lab"), lab_tests=tuple(data.get("lab_tests") or ()),
            experts=experts, favourable=data.get("favourable"),
        )

    def add_service_errors(self, exc: ValidationFailed) -> None:
        add_service_errors(self, exc, {"experts": "specialty", "action": None})
