"""Forms for national staff: status changes, recovery of the 使用证, announcements, 有机码 batches."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.core.widgets import DateInput

from .choices import AnnouncementKind, Status
from .models import Certifier


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=Status.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    reference = forms.CharField(label=_("依据（文号或申请编号）"), required=False, max_length=60)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Status(s).label) for s in Status.values if s in targets]


class RecoverForm(forms.Form):
    recovered_on = forms.DateField(label=_("收回日期"), widget=DateInput())
    reason = forms.CharField(label=_("说明"), required=False, max_length=2000)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=AnnouncementKind.choices)
    numbers = forms.CharField(label=_("产品编号"), widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("每行一个产品编号"))

    def clean_numbers(self):
        numbers = [line.strip().upper() for line in self.cleaned_data["numbers"].splitlines() if line.strip()]
        if not numbers:
            raise forms.ValidationError(_("请至少填写一个产品编号"))
        if len(numbers) > 500:
            raise forms.ValidationError(_("一次最多公告 500 个产品"))
        return list(dict.fromkeys(numbers))



class OrganicCodesForm(forms.Form):
    """One batch of 有机码; the quantity ceiling and validity are checked by the service."""

    certifier = forms.ModelChoiceField(label=_("认证机构"), queryset=None, empty_label=None)
    count = forms.IntegerField(label=_("有机码数量"), min_value=1, max_value=100_000)
    quantity = forms.DecimalField(label=_("覆盖数量"), max_digits=14, decimal_places=3, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certifier"].queryset = Certifier.objects.all()
