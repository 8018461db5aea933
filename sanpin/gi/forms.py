"""Forms of the GI pages: import, authorisation, ending one, quality records, revocation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.models import Entity
from sanpin.core.widgets import DateInput

DATE = DateInput()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件"))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 5 MB"))
        return upload


class AuthorizeForm(forms.Form):
    """The producer is named by its USCC: the holder association knows that, not our ids."""

    user_entity = forms.CharField(label=_("被授权主体统一社会信用代码"), max_length=18)
    product = forms.CharField(label=_("用标产品"), max_length=120)
    quantity = forms.DecimalField(label=_("授权数量"), max_digits=14, decimal_places=3, min_value=0)
    unit = forms.CharField(label=_("数量单位"), max_length=20, initial="吨")
    valid_from = forms.DateField(label=_("有效期起"), widget=DATE)
    valid_until = forms.DateField(label=_("有效期至"), widget=DATE)

    def clean_user_entity(self):
        code = self.cleaned_data["user_entity"].strip().upper()
        entity = Entity.objects.select_related("region").filter(uscc=code, is_active=True).first()
        if entity is None:
            raise forms.ValidationError(_("未找到该统一社会信用代码的主体，请先登记该主体"))
        return entity


class EndForm(forms.Form):
    reason = forms.CharField(label=_("终止理由"), max_length=2000)
    ended_on = forms.DateField(label=_("终止日期"), required=False, widget=DATE)


class QualityRecordForm(forms.Form):
    """Shown on the registration page beside the authorisation form: its own ids keep each label
    on its own input (both have a unit field)."""

    year = forms.IntegerField(label=_("年度"), min_value=1900, max_value=2999)
    indicator = forms.CharField(label=_("指标名称"), max_length=80)
    value = forms.DecimalField(label=_("检测值"), max_digits=14, decimal_places=4)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    method = forms.CharField(label=_("检测方法/标准"), max_length=120, required=False)
    lab = forms.CharField(label=_("检测机构"), max_length=120, required=False)
    sampled_on = forms.DateField(label=_("抽样日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "quality_%s")
        super().__init__(*args, **kwargs)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由（含文号）"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
