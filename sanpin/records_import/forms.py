from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("工作簿（.xlsx，含“主体”“证书”两个工作表）"))
    files = forms.FileField(label=_("档案文件包（.zip，可不传）"), required=False)
