"""Forms of the sampling pages. The services validate again; their field errors land here
(sanpin.core.views.forms.add_service_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region
from sanpin.core import clock
from sanpin.core.widgets import DateInput

from .models import Conclusion, SamplingScheme, TaskStatus


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    scheme = forms.ChoiceField(label=_("认证类型"), choices=SamplingScheme.choices)
    title = forms.CharField(label=_("计划名称"), max_length=120, required=False,
                            help_text=_("不填则为“某年某类产品质量抽检计划”"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = clock.today().year


class QuotaForm(forms.Form):
    region = forms.ModelChoiceField(label=_("省份"), queryset=Region.objects.none(), to_field_name="code",
                                    error_messages={"required": _("请选择省份"), "invalid_choice": _("请选择省份")})
    count = forms.IntegerField(label=_("抽检数量"), min_value=0, max_value=100000, help_text=_("0 表示删除该省"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(level="province", is_active=True).order_by("code")


class DrawForm(forms.Form):
    seed = forms.IntegerField(label=_("随机种子"), required=False, min_value=0, max_value=2**63 - 1,
                              help_text=_("留空则由系统生成；种子与抽取结果一并保存，可据此复核"))


class AssignForm(forms.Form):
    lab = forms.ModelChoiceField(label=_("检测机构"), queryset=Entity.objects.none(),
                                 error_messages={"required": _("请选择检测机构")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lab"].queryset = Entity.objects.filter(kind=EntityKind.LAB, is_active=True).order_by("name")


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=80)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *TaskStatus.choices], required=False)
    conclusion = forms.ChoiceField(label=_("结论"), choices=[("", _("全部")), *Conclusion.choices], required=False)


class StandardFilterForm(forms.Form):
    scheme = forms.ChoiceField(label=_("认证类型"), choices=[("", _("全部")), *SamplingScheme.choices],
                               required=False)
    category = forms.CharField(label=_("产品类别代码"), required=False, max_length=4)


class PassRateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    region = forms.CharField(label=_("区划代码"), required=False, max_length=6,
                             help_text=_("留空为本机构区划（国家级为全国）"))
    scheme = forms.ChoiceField(label=_("认证类型"), choices=[("", _("全部")), *SamplingScheme.choices],
                               required=False)


class ReportForm(forms.Form):
    """One value and unit per indicator of the product's standards, then the report's header."""

    report_number = forms.CharField(label=_("报告编号"), max_length=60, required=False)
    sampled_on = forms.DateField(label=_("抽样日期"), required=False,
                                 widget=DateInput())
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, standards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = list(standards)
        for s in self.standards:
            self.fields[f"value_{s.pk}"] = forms.CharField(
                label=s.indicator, required=False, max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
            self.fields[f"unit_{s.pk}"] = forms.CharField(label=_("单位"), required=False, max_length=20,
                                                          initial=s.unit)

    def rows(self):
        """(standard, value field, unit field) for the template."""
        return [(s, self[f"value_{s.pk}"], self[f"unit_{s.pk}"]) for s in self.standards]

    def results(self) -> list[dict]:
        data = self.cleaned_data
        return [{"indicator": s.indicator, "value": data.get(f"value_{s.pk}", ""), "unit": data.get(f"unit_{s.pk}", "")}
                for s in self.standards]
