"""Forms of the targets page: choosing the table, entering one target, uploading a workbook."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TargetMeasure
from .target_io import MAX_FILE_BYTES
from .target_services import MAX_VALUE, SOURCE_LENGTH


class TargetForm(forms.Form):
    """One target; the regions offered are those the user sets targets for."""

    region = forms.ChoiceField(label=_("地区"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    measure = forms.ChoiceField(label=_("指标"), choices=TargetMeasure.choices)
    value = forms.IntegerField(label=_("计划数（个）"), min_value=0, max_value=MAX_VALUE,
                               error_messages={"min_value": _("计划数不能为负数")})
    source = forms.CharField(label=_("依据"), max_length=SOURCE_LENGTH, required=False,
                             help_text=_("文件名称或文号"))

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, f"{r.name}（{r.code}）") for r in regions]


class TargetImportForm(forms.Form):
    file = forms.FileField(label=_("发展目标表（.xlsx，按模板填写）"))
    dry_run = forms.BooleanField(label=_("仅校验（试运行）"), required=False, initial=True,
                                 help_text=_("勾选时只列出有误的行，不写入任何数据"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件过大（不超过 %(mb)d MB）") % {"mb": MAX_FILE_BYTES >> 20})
        return upload
