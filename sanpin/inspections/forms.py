"""Forms of the annual-inspection pages: generating a plan, regenerating it, assigning an
inspector, recording an inspection, and the item filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.models import Region
from sanpin.certificates.choices import Scheme
from sanpin.core.widgets import DateInput

from .models import INSPECTED_SCHEMES, Conclusion

DATE = DateInput()
SCHEME_CHOICES = [(s.value, s.label) for s in (Scheme(v) for v in INSPECTED_SCHEMES)]


class PlanGenerateForm(forms.Form):
    province = forms.ModelChoiceField(label=_("省份"), queryset=Region.objects.none(), to_field_name="code")
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    schemes = forms.MultipleChoiceField(label=_("检查的认证类型"), choices=SCHEME_CHOICES,
                                        widget=forms.CheckboxSelectMultiple,
                                        initial=[v for v, _label in SCHEME_CHOICES])
    on = forms.DateField(label=_("名单基准日"), required=False, widget=DATE,
                         help_text=_("列入当日有效（含整改中）的证书持有单位；默认该年 1 月 1 日"))

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces if provinces is not None else Region.objects.none()


class PlanRegenerateForm(forms.Form):
    on = forms.DateField(label=_("名单基准日"), required=False, widget=DATE,
                         help_text=_("默认今天；只增加新获证单位和证书，已列入的单位不会删除"))


class InspectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}（{obj.username}）"


class AssignForm(forms.Form):
    inspector = InspectorChoiceField(label=_("检查员"), queryset=None, empty_label=_("请选择"))

    def __init__(self, *args, inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        from sanpin.accounts.models import User

        self.fields["inspector"].queryset = User.objects.filter(pk__in=[u.pk for u in inspectors]).order_by("username")


class RecordForm(forms.Form):
    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE)
    conclusion = forms.ChoiceField(label=_("检查结论"), choices=[("", _("请选择")), *Conclusion.choices],
                                   help_text=_("限期整改：对该单位本计划内的有效证书作出整改决定；"
                                               "不合格：报请取消标志使用权"))
    findings = forms.CharField(label=_("检查发现"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ItemFilterForm(forms.Form):
    STATES = [("", _("全部")), ("no", _("未检查")), ("yes", _("已检查")), ("unassigned", _("未指派检查员"))]
    q = forms.CharField(label=_("关键词"), required=False)
    inspected = forms.ChoiceField(label=_("检查情况"), choices=STATES, required=False)
