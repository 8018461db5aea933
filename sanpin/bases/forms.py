"""Forms of the base pages. The base's data are plain text inputs: sanpin.bases.validation checks
them (the same checks the API and the Excel import use), so every field here is optional to
Django and the service names what is missing or wrong, in Chinese, beside the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.core import clock
from sanpin.core.widgets import DateInput

from .choices import BaseLevel, BaseType, CheckResult, RemovalCause, SamplingResult
from .validation import FIELDS


def _text(label, max_length=None, help_text="", widget=None):
    return forms.CharField(label=label, max_length=max_length, required=False, help_text=help_text, widget=widget)


class BaseForm(forms.Form):
    name = _text(_("基地名称"), 120)
    base_type = forms.ChoiceField(label=_("基地类型"), choices=[("", "—"), *BaseType.choices], required=False)
    level = forms.ChoiceField(label=_("基地级别"), choices=[("", "—"), *BaseLevel.choices], required=False)
    operator = _text(_("运营主体统一社会信用代码"), 18, _("运营主体须已在系统登记"))
    county = _text(_("所在县（市、区）"), 12)
    products = _text(_("产品"), 200)
    varieties = _text(_("品种"), 200)
    area_mu = _text(_("面积（亩）"), 20)
    output_tons = _text(_("年产量（吨）"), 20)
    location = _text(_("地点"), 200, _("乡镇、村"))
    longitude = _text(_("经度"), 20)
    latitude = _text(_("纬度"), 20)
    coverage = _text(_("种养范围"), 200, _("标识牌内容：基地范围"))
    techniques = _text(_("技术措施"), 2000, _("标识牌内容：主要技术措施"), forms.Textarea(attrs={"rows": 3}))
    responsible_person = _text(_("责任人"), 60, _("标识牌内容：责任人"))

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIELDS}


class BaseEditForm(BaseForm):
    """Editing adds the links to the operator's own certificates and GAP records."""

    certificates = forms.ModelMultipleChoiceField(label=_("关联证书"), queryset=None, required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    gap_certificates = forms.ModelMultipleChoiceField(label=_("关联良好农业规范认证"), queryset=None, required=False,
                                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, certificates, gap_certificates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificates"].queryset = certificates
        self.fields["certificates"].label_from_instance = lambda c: f"{c.number} {c.product_name}"
        self.fields["gap_certificates"].queryset = gap_certificates
        self.fields["gap_certificates"].label_from_instance = lambda g: f"{g.number} {g.products}（{g.certifier}）"

    def service_data(self) -> dict:
        return {**super().service_data(), "certificates": self.cleaned_data["certificates"],
                "gap_certificates": self.cleaned_data["gap_certificates"]}


def base_initial(base) -> dict:
    """The edit form's values: the operator by its USCC, the county by its code, numbers as written."""
    initial = {name: getattr(base, name) for name in FIELDS if name not in ("operator", "county")}
    for name in ("area_mu", "output_tons", "longitude", "latitude"):
        initial[name] = "" if initial[name] is None else format(initial[name].normalize(), "f")
    return {**initial, "operator": base.operator.uscc, "county": base.county_id,
            "certificates": list(base.certificates.all()), "gap_certificates": list(base.gap_certificates.all())}


class BaseCheckForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    checked_on = forms.DateField(label=_("检查日期"), widget=DateInput())
    result = forms.ChoiceField(label=_("检查结论"), choices=[("", "—"), *CheckResult.choices], required=False)
    sampling = forms.ChoiceField(label=_("抽检结果"), choices=SamplingResult.choices,
                                 initial=SamplingResult.NOT_SAMPLED)
    findings = _text(_("检查情况"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("不合格时必填"))

    @classmethod
    def blank(cls):
        today = clock.today()
        return cls(initial={"year": today.year, "checked_on": today})


class BaseRemoveForm(forms.Form):
    cause = forms.ChoiceField(label=_("移出原因"), choices=[("", "—"), *RemovalCause.choices], required=False)
    reason = _text(_("事实和依据"), widget=forms.Textarea(attrs={"rows": 3}))
