"""Forms of the GAP pages: recording or correcting a certificate, and ending one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.core.widgets import DateInput

from .models import EXPIRED, GAPStatus

DATE = DateInput()


class GAPCertificateForm(forms.Form):
    certifier = forms.CharField(label=_("认证机构"), max_length=120)
    number = forms.CharField(label=_("证书编号"), max_length=60)
    products = forms.CharField(label=_("认证产品"), max_length=200)
    area = forms.CharField(label=_("认证范围（基地、面积）"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("有效期起"), widget=DATE)
    valid_until = forms.DateField(label=_("有效期至"), widget=DATE)


class GAPCreateForm(GAPCertificateForm):
    """The holder is named by its USCC: that is what is printed on the certificate."""

    holder_uscc = forms.CharField(label=_("获证主体统一社会信用代码"), max_length=18)
    field_order = ["holder_uscc"]


class GAPEndForm(forms.Form):
    ended_on = forms.DateField(label=_("终止日期"), widget=DATE)
    reason = forms.CharField(label=_("终止理由"), widget=forms.Textarea(attrs={"rows": 2}))


class GAPFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("全部")), *GAPStatus.choices, (EXPIRED, _("已过期"))]
    q = forms.CharField(label=_("关键词"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_CHOICES, required=False)
