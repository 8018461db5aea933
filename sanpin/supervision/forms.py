"""Forms of the supervision pages: list filters, opening a rectification or a revocation request
from the certificate page, the holder's answer and the two decisions. The services validate
again; their field errors land on these forms (sanpin.catalog.forms.add_service_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.certificates.choices import Scheme

from . import causes as cause_tables
from .models import RectificationStatus, RevocationStatus, Source

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class RectificationFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("全部")), *RectificationStatus.choices, ("overdue_open", _("已过期限未提交"))]
    q = forms.CharField(label=_("关键词"), required=False, max_length=80)
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_CHOICES, required=False)
    scheme = forms.ChoiceField(label=_("认证类型"), choices=[("", _("全部")), *Scheme.choices], required=False)
    source = forms.ChoiceField(label=_("来源"), choices=[("", _("全部")), *Source.choices], required=False)


class RevocationFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=80)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *RevocationStatus.choices],
                               required=False)
    scheme = forms.ChoiceField(label=_("认证类型"), choices=[("", _("全部")), *Scheme.choices], required=False)


class RectificationOpenForm(forms.Form):
    """作出整改决定: the causes of the certificate's scheme."""

    cause = forms.ChoiceField(label=_("整改原因"), error_messages={"required": _("请选择整改原因"),
                                                                "invalid_choice": _("请选择列出的整改原因")})
    detail = forms.CharField(label=_("问题描述"), widget=TEXTAREA, error_messages={"required": _("请描述发现的问题")})
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices, initial=Source.MANUAL,
                               error_messages={"required": _("请选择来源"), "invalid_choice": _("来源不正确")})
    source_ref = forms.CharField(label=_("来源记录（抽检报告号等）"), max_length=80, required=False)

    def __init__(self, *args, scheme: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = [("", "---------"), *cause_tables.labels(
            cause_tables.RECTIFICATION_CAUSES, scheme).items()]


class RevocationOpenForm(forms.Form):
    """报请取消标志使用权: one or more causes of the certificate's scheme."""

    causes = forms.MultipleChoiceField(label=_("取消原因"), widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("请选择取消原因"),
                                                       "invalid_choice": _("请选择列出的取消原因")})
    detail = forms.CharField(label=_("事实与依据"), widget=TEXTAREA, error_messages={"required": _("请写明事实与依据")})

    def __init__(self, *args, scheme: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["causes"].choices = list(cause_tables.labels(cause_tables.REVOCATION_CAUSES, scheme).items())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; none is fine (the answer text is what is required)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 5}),
                             error_messages={"required": _("请填写整改情况")})
    files = MultipleFileField(label=_("证明材料"),
                              help_text=_("可多选；PDF、JPG、PNG 或 Office 文档，每个不超过 20 MB"))


class RectificationDecideForm(forms.Form):
    DECISIONS = [("accept", _("整改合格")), ("fail", _("整改不合格（报请取消标志使用权）"))]
    decision = forms.ChoiceField(label=_("审核结论"), choices=DECISIONS, widget=forms.RadioSelect,
                                 error_messages={"required": _("请选择审核结论"),
                                                 "invalid_choice": _("请选择审核结论")})
    note = forms.CharField(label=_("审核意见"), widget=TEXTAREA, error_messages={"required": _("请填写审核意见")})


class RevocationDecideForm(forms.Form):
    DECISIONS = [("revoke", _("取消标志使用权")), ("decline", _("不予取消"))]
    decision = forms.ChoiceField(label=_("决定"), choices=DECISIONS, widget=forms.RadioSelect,
                                 error_messages={"required": _("请选择决定"), "invalid_choice": _("请选择决定")})
    serious = forms.BooleanField(label=_("情节严重"), required=False,
                                 help_text=_("绿色食品：情节严重的永久不得再次申请，否则三年内不得申请"))
    note = forms.CharField(label=_("决定意见"), widget=TEXTAREA, error_messages={"required": _("请填写决定意见")})
