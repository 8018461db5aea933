"""Forms of the collection and share pages. The services validate the values again; these forms
only give the browser the right inputs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.core import clock
from sanpin.core.widgets import DateInput


def _years():
    this = clock.today().year
    return [(y, str(y)) for y in range(this + 1, 1999, -1)]


class CycleOpenForm(forms.Form):
    province = forms.ChoiceField(label=_("省份"))
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    due_on = forms.DateField(label=_("复核上报截止日期"), required=False, widget=DateInput())

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(p.code, p.name) for p in provinces]
        self.fields["year"].choices = _years()
        self.fields["year"].initial = clock.today().year


class SubmissionActionForm(forms.Form):
    comment = forms.CharField(label=_("意见"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ShareQueryForm(forms.Form):
    province = forms.ChoiceField(label=_("省份"))
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(p.code, p.name) for p in provinces]
        self.fields["year"].choices = _years()


class RegionProductionForm(forms.Form):
    region = forms.ChoiceField(label=_("设区市"))
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    total_output_tons = forms.CharField(label=_("食用农产品生产总量（吨）"), max_length=30)
    source = forms.CharField(label=_("数据来源"), max_length=200, required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]
        self.fields["year"].choices = _years()


class ShareTargetForm(forms.Form):
    province = forms.CharField(widget=forms.HiddenInput)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    min_percent = forms.CharField(label=_("目标占比（%）"), max_length=10)
    source = forms.CharField(label=_("依据"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
