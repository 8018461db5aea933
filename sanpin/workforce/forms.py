"""Forms of the lab-oversight and people pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import DesignationScheme, LabTest
from sanpin.core.widgets import DateInput

from .choices import InspectionConclusion, PersonGroup, ProficiencyResult

DATE = DateInput()


class ProficiencyTestForm(forms.Form):
    scheme = forms.ChoiceField(label=_("定点业务类型"), choices=DesignationScheme.choices)
    test = forms.ChoiceField(label=_("检测项目"), choices=LabTest.choices)
    programme = forms.CharField(label=_("能力验证计划"), max_length=200)
    organiser = forms.CharField(label=_("组织单位"), max_length=120)
    tested_on = forms.DateField(label=_("结果日期"), widget=DATE)
    result = forms.ChoiceField(label=_("结果"), choices=ProficiencyResult.choices)
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LabInspectionForm(forms.Form):
    scheme = forms.ChoiceField(label=_("定点业务类型"), choices=DesignationScheme.choices)
    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE)
    inspectors = forms.CharField(label=_("检查组"), max_length=200, required=False)
    findings = forms.CharField(label=_("检查发现"), widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.ChoiceField(label=_("检查结论"), choices=InspectionConclusion.choices)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=200)


class TrainingForm(forms.Form):
    province = forms.ChoiceField(label=_("注册省份"))
    course = forms.CharField(label=_("培训班/课程"), max_length=200)
    organiser = forms.CharField(label=_("主办单位"), max_length=120)
    started_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE)
    hours = forms.DecimalField(label=_("学时"), max_digits=6, decimal_places=1, min_value=0)
    certificate_number = forms.CharField(label=_("结业证书编号"), max_length=60, required=False)

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(r.code, r.name) for r in provinces]


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class PeopleFilterForm(YearForm):
    group = forms.ChoiceField(label=_("人员类别"), choices=[("", _("全部")), *PersonGroup.choices], required=False)
    q = forms.CharField(label=_("姓名、账号或资质编号"), max_length=60, required=False)
