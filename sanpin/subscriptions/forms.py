"""The follow form: what to follow, and how to be told."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Channel

TARGET_KINDS = [("certificate", _("证书（按证书编号）")), ("entity", _("主体（按统一社会信用代码）"))]


class SubscriptionForm(forms.Form):
    target_kind = forms.ChoiceField(label=_("关注对象"), choices=TARGET_KINDS, initial="certificate")
    target = forms.CharField(label=_("证书编号或统一社会信用代码"), max_length=40)
    channels = forms.MultipleChoiceField(label=_("通知渠道"), choices=Channel.choices,
                                         widget=forms.CheckboxSelectMultiple, initial=[Channel.INAPP])
    webhook_url = forms.CharField(label=_("Webhook 地址"), required=False, max_length=500,
                                  help_text=_("选择 Webhook 推送时必填，仅支持 http:// 或 https://"))

    def clean(self):
        cleaned = super().clean()
        if Channel.WEBHOOK in cleaned.get("channels", []) and not cleaned.get("webhook_url", "").strip():
            self.add_error("webhook_url", _("选择 Webhook 推送时请填写地址"))
        return cleaned
