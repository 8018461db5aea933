"""Forms of the promotion pages. They parse; the services validate and name what is wrong in
Chinese (sanpin.promotion.services, registry, awards)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.models import Agency
from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.certificates.models import Certificate
from sanpin.core import clock
from sanpin.core.access import ALL, REGION, scope_for
from sanpin.core.widgets import DateInput

from .choices import EventKind, EventStatus, OutletKind
from .models import Event, Outlet


def agencies_in_scope(user, model=Event):
    """The agencies whose events (or award lists) the user manages: all for national staff, the
    user's region and below for the others."""
    scope = scope_for(user, "manage", model)
    rows = Agency.objects.select_related("region").order_by("level", "name")
    if scope.kind == ALL:
        return rows
    if scope.kind == REGION:
        return rows.filter(region__code__startswith=scope.value)
    return rows.none()


def districts_in_scope(user, model=Outlet):
    """County-level regions (and cities without counties) within the user's scope."""
    scope = scope_for(user, "change", model)
    rows = Region.objects.filter(is_active=True).order_by("code")
    if scope.kind == REGION:
        rows = rows.filter(code__startswith=scope.value)
    elif scope.kind != ALL:
        return rows.none()
    return rows.filter(level__in=[RegionLevel.COUNTY, RegionLevel.CITY]).exclude(
        level=RegionLevel.CITY, children__isnull=False).distinct()


class EventForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("主办机构"), queryset=Agency.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", "—"), *EventKind.choices], required=False)
    title = forms.CharField(label=_("名称"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput(), required=False)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    signup_deadline = forms.DateField(label=_("报名截止日期"), widget=DateInput(), required=False,
                                      help_text=_("不晚于活动结束日期"))
    description = forms.CharField(label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, with_organiser=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_organiser:
            self.fields["organiser"].queryset = agencies_in_scope(user)
            if user is not None and user.agency_id and not self.is_bound:
                self.initial.setdefault("organiser", user.agency_id)
        else:
            del self.fields["organiser"]


class EventFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *EventStatus.choices], required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *EventKind.choices], required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)


class ResultsForm(forms.Form):
    visitors = forms.IntegerField(label=_("观众人次"), min_value=0, required=False)
    deals_count = forms.IntegerField(label=_("签约/成交笔数"), min_value=0, required=False)
    deals_amount = forms.DecimalField(label=_("签约/成交金额（万元）"), min_value=0, max_digits=12, decimal_places=2,
                                      required=False)
    note = forms.CharField(label=_("成效说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ParticipantResultsForm(forms.Form):
    deals_count = forms.IntegerField(label=_("签约/成交笔数"), min_value=0, required=False)
    deals_amount = forms.DecimalField(label=_("金额（万元）"), min_value=0, max_digits=12, decimal_places=2,
                                      required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("通过")), ("reject", _("不通过"))])
    note = forms.CharField(label=_("审核意见"), max_length=500, required=False)


class SignUpForm(forms.Form):
    """Sign-up: the entity's own certificates, valid today, are offered; the service checks again."""

    certificates = forms.ModelMultipleChoiceField(label=_("参展展示的证书"), queryset=Certificate.objects.none(),
                                                  widget=forms.CheckboxSelectMultiple, required=False)
    products = forms.CharField(label=_("展示产品"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               help_text=_("每行一个产品"))
    booth = forms.CharField(label=_("联系人/展位需求"), max_length=120, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        rows = Certificate.objects.filter(holder_id=getattr(user, "entity_id", None), renewed=False,
                                          valid_until__gte=today).order_by("scheme", "number")
        self.fields["certificates"].queryset = rows
        self.fields["certificates"].label_from_instance = lambda c: (
            f"{c.number} {c.product_name}（{c.get_scheme_display()}，{c.effective_status_label(today)}，"
            f"有效期至 {c.valid_until:%Y-%m-%d}）")


class OutletForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[("", "—"), *OutletKind.choices], required=False)
    host_name = forms.CharField(label=_("所在批发市场/商超"), max_length=120, required=False)
    district = forms.ModelChoiceField(label=_("所在区（县）"), queryset=Region.objects.none(), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    opened_on = forms.DateField(label=_("开设日期"), widget=DateInput(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts_in_scope(user)


class OutletCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("撤销日期"), widget=DateInput(), required=False)
    reason = forms.CharField(label=_("撤销原因"), max_length=200, required=False)


class SpecialistForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    district = forms.ModelChoiceField(label=_("所在区（县）"), queryset=Region.objects.none(), required=False)
    registered_on = forms.DateField(label=_("登记日期"), widget=DateInput(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts_in_scope(user)


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("培训课程"), max_length=200, required=False)
    trained_on = forms.DateField(label=_("培训日期"), widget=DateInput(), required=False)
    hours = forms.DecimalField(label=_("学时"), max_digits=5, decimal_places=1, required=False)
    organiser = forms.CharField(label=_("培训组织单位"), max_length=120, required=False)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("离岗日期"), widget=DateInput(), required=False)


class AwardListForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("组织机构"), queryset=Agency.objects.none(), required=False)
    title = forms.CharField(label=_("名单名称"), max_length=200, required=False)
    year = forms.IntegerField(label=_("年度"), required=False)
    event = forms.ModelChoiceField(label=_("相关活动（可选）"), queryset=Event.objects.none(), required=False)
    source = forms.CharField(label=_("依据"), max_length=200, required=False, help_text=_("发布文件名称或文号"))

    def __init__(self, *args, user=None, **kwargs):
        from .models import AwardList

        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = agencies_in_scope(user, AwardList)
        self.fields["event"].queryset = Event.objects.restrict(user, "view").order_by("-starts_on")
        if not self.is_bound:
            self.initial.setdefault("year", clock.today().year)
            if user is not None and user.agency_id:
                self.initial.setdefault("organiser", user.agency_id)


class AwardEntryForm(forms.Form):
    number = forms.CharField(label=_("证书编号"), max_length=40, required=False)
    product = forms.CharField(label=_("获奖产品"), max_length=120, required=False,
                              help_text=_("留空则用证书上的产品名称"))
    award = forms.CharField(label=_("奖项/等级"), max_length=60, required=False)
    rank = forms.IntegerField(label=_("名次"), min_value=1, required=False)
