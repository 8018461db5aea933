"""Forms of the 名特优新 pages: the holder's annual confirmation, the province's decision, a quality
test and a nutrition-quality evaluation (indicators one per line: 名称 数值 单位)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.core.widgets import DateInput

DATE = DateInput()


class ConfirmationForm(forms.Form):
    still_producing = forms.BooleanField(label=_("本产品仍在正常生产"), required=False)
    output = forms.DecimalField(label=_("上一年度产量"), max_digits=14, decimal_places=3)
    output_unit = forms.CharField(label=_("产量单位"), max_length=20, initial="吨")
    changes = forms.CharField(label=_("变化情况（生产主体、产地、规模、品质等；无变化可不填）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("确认结果"), choices=[("confirm", _("予以确认")), ("refuse", _("不予确认"))])
    opinion = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}))


class QualityTestForm(forms.Form):
    lab = forms.CharField(label=_("检测机构"), max_length=120)
    tested_on = forms.DateField(label=_("检测日期"), widget=DATE)
    passed = forms.TypedChoiceField(label=_("检测结果"), choices=[("1", _("合格")), ("0", _("不合格"))],
                                    coerce=lambda v: v == "1")
    conclusion = forms.CharField(label=_("检测结论"), widget=forms.Textarea(attrs={"rows": 2}))
    report_number = forms.CharField(label=_("报告编号"), max_length=60, required=False)
    report_file = forms.FileField(label=_("检测报告（PDF/JPG/PNG）"), required=False)


class NutritionEvaluationForm(forms.Form):
    lab = forms.CharField(label=_("评价机构"), max_length=120)
    evaluated_on = forms.DateField(label=_("评价日期"), widget=DATE)
    indicators = forms.CharField(
        label=_("指标（每行一项：名称 数值 单位）"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("例如：维生素C 35.2 mg/100g"))
    conclusion = forms.CharField(label=_("评价结论"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_indicators(self):
        rows = []
        for line in self.cleaned_data["indicators"].splitlines():
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 2:
                raise forms.ValidationError(_("每行须有指标名称和数值：%(line)s") % {"line": line.strip()})
            rows.append({"name": parts[0], "value": parts[1], "unit": " ".join(parts[2:])})
        if not rows:
            raise forms.ValidationError(_("请至少填写一项指标"))
        return rows
