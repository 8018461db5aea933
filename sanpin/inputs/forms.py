"""Forms of the allowed-input pages. They parse; the services validate the rules (so the page,
the API and the import say the same thing)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.core.widgets import DateInput

from .choices import CROP_CATEGORIES, InputCategory, InputKind, ResidueUnit

BLANK = [("", "——")]


class SearchForm(forms.Form):
    """The public search: by name, crop, kind, category and day."""

    q = forms.CharField(label=_("名称或有效成分"), required=False, max_length=60)
    crop = forms.CharField(label=_("作物"), required=False, max_length=30,
                           help_text=_("作物名称，或绿色食品产品类别代码（如 01）"))
    kind = forms.ChoiceField(label=_("投入品类别"), required=False, choices=BLANK + list(InputKind.choices))
    category = forms.ChoiceField(label=_("农药类别"), required=False, choices=BLANK + list(InputCategory.choices))
    region = forms.RegexField(label=_("地区"), required=False, regex=r"^\d{6}$",
                              help_text=_("省级区划代码，如 450000；只看该省适用的清单"),
                              error_messages={"invalid": _("应为 6 位区划代码，如 450000")})
    on = forms.DateField(label=_("日期"), required=False, widget=DateInput(),
                         error_messages={"invalid": _("日期格式应为 YYYY-MM-DD")})


class ListForm(forms.Form):
    """A draft list's fields (kind and region only when creating)."""

    kind = forms.ChoiceField(label=_("投入品类别"), choices=InputKind.choices)
    issuer_region = forms.ChoiceField(label=_("适用地区"), required=False)
    title = forms.CharField(label=_("清单名称"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": "广西绿色食品可用农药清单（2024）"}))
    issuer_name = forms.CharField(label=_("发布机构"), max_length=120)
    source_document = forms.CharField(label=_("发布文件"), max_length=200, help_text=_("文件名称及文号"))
    effective_from = forms.DateField(label=_("生效日期"), widget=DateInput())
    effective_until = forms.DateField(label=_("失效日期"), required=False, widget=DateInput(),
                                      help_text=_("留空为长期有效，直至新版本生效"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, regions=None, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["issuer_region"].choices = regions or []
        else:
            del self.fields["kind"]
            del self.fields["issuer_region"]


class InputForm(forms.Form):
    common_name = forms.CharField(label=_("通用名"), max_length=80)
    active_ingredient = forms.CharField(label=_("有效成分"), max_length=120, required=False)
    category = forms.ChoiceField(label=_("类别"), required=False, choices=BLANK + list(InputCategory.choices))
    restrictions = forms.CharField(label=_("使用限制/备注"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))


class LimitForm(forms.Form):
    """Everything as text: the service says what is wrong (no unit, no crop, a negative value)."""

    crop = forms.CharField(label=_("作物"), required=False, max_length=60)
    crop_category = forms.ChoiceField(label=_("产品类别"), required=False, choices=BLANK + list(CROP_CATEGORIES))
    max_value = forms.CharField(label=_("最大残留限量"), required=False, max_length=30)
    unit = forms.ChoiceField(label=_("单位"), required=False, choices=BLANK + list(ResidueUnit.choices))
    source_standard = forms.CharField(label=_("依据标准"), required=False, max_length=120)
    effective_from = forms.DateField(label=_("生效日期"), required=False, widget=DateInput())
    effective_until = forms.DateField(label=_("失效日期"), required=False, widget=DateInput())
    is_demo = forms.BooleanField(label=_("演示数据（未与依据标准核对）"), required=False)


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("废止原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    from_day = forms.DateField(label=_("废止日期"), required=False, widget=DateInput(), help_text=_("留空为今天"))


class NewVersionForm(forms.Form):
    title = forms.CharField(label=_("新版本名称"), max_length=120, required=False)
    source_document = forms.CharField(label=_("发布文件"), max_length=200, required=False)
    effective_from = forms.DateField(label=_("生效日期"), required=False, widget=DateInput())


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    dry_run = forms.BooleanField(label=_("仅校验，不导入"), required=False, initial=True)
