"""Forms of the oversight pages. They parse; the services validate again and their field errors
land back on these forms (sanpin.core.views.forms.run_service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.accounts.models import User
from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.certificates.choices import Scheme
from sanpin.core import clock
from sanpin.core.access import ALL, REGION, scope_for
from sanpin.core.widgets import DateInput
from sanpin.supervision import causes as cause_tables

from .models import (
    ComplaintResult,
    ComplaintStatus,
    FlightConclusion,
    FlightStatus,
    LabelStatus,
    PlaceKind,
    RiskFinding,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = DateInput()


def _required(message):
    return {"required": message, "invalid_choice": message, "invalid": message}


def scope_prefix(user, model, action) -> str | None:
    """"" for the whole country, a code prefix for a region, None for nothing."""
    scope = scope_for(user, action, model)
    if scope.kind == ALL:
        return ""
    if scope.kind == REGION:
        return str(scope.value)
    return None


def regions_in_scope(user, model, action, *, counties=True):
    """Regions the user may pick: provinces and cities nationally, down to counties in a province."""
    prefix = scope_prefix(user, model, action)
    if prefix is None:
        return Region.objects.none()
    levels = [RegionLevel.PROVINCE, RegionLevel.CITY] + ([RegionLevel.COUNTY] if counties and prefix else [])
    return Region.objects.filter(is_active=True, level__in=levels, code__startswith=prefix).order_by("code")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.full_name or obj.name}"


class RegionMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.full_name or obj.name}"


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=80)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))])

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), *statuses]


# --- risk monitoring ----------------------------------------------------------------------------------


class RiskProjectForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100,
                              error_messages=_required(_("请填写年度")))
    scheme = forms.ChoiceField(label=_("认证类型"), choices=Scheme.choices,
                               error_messages=_required(_("请选择认证类型")))
    title = forms.CharField(label=_("项目名称"), max_length=200, error_messages=_required(_("请填写项目名称")))
    focus = forms.CharField(label=_("监测危害/指标"), max_length=300,
                            help_text=_("如：蔬菜中毒死蜱、克百威残留；茶叶中草甘膦"),
                            error_messages=_required(_("请填写监测的危害或指标")))
    regions = RegionMultipleField(label=_("监测地区"), queryset=Region.objects.none(),
                                  widget=forms.SelectMultiple(attrs={"size": 6}),
                                  error_messages=_required(_("请选择监测地区")))

    def __init__(self, *args, user, **kwargs):
        from .models import RiskRecord

        super().__init__(*args, **kwargs)
        self.fields["year"].initial = clock.today().year
        self.fields["regions"].queryset = regions_in_scope(user, RiskRecord, "record", counties=False)


class RiskRecordForm(forms.Form):
    certificate_number = forms.CharField(label=_("证书编号（获证产品）"), max_length=40, required=False,
                                         help_text=_("获证产品填写证书编号，采样地区取获证单位所在地"))
    region = RegionChoiceField(label=_("采样地区"), queryset=Region.objects.none(), required=False)
    product_name = forms.CharField(label=_("产品"), max_length=120, error_messages=_required(_("请填写产品名称")))
    sample_code = forms.CharField(label=_("样品编号"), max_length=40, error_messages=_required(_("请填写样品编号")))
    sampled_on = forms.DateField(label=_("采样日期"), widget=DATE, error_messages=_required(_("请填写采样日期")))
    indicator = forms.CharField(label=_("监测指标"), max_length=120, error_messages=_required(_("请填写监测指标")))
    value = forms.DecimalField(label=_("检测值"), max_digits=14, decimal_places=4, min_value=0,
                               error_messages=_required(_("请填写检测值")))
    unit = forms.CharField(label=_("单位"), max_length=20, error_messages=_required(_("请填写单位")))
    limit = forms.DecimalField(label=_("限量/参考值"), max_digits=14, decimal_places=4, min_value=0, required=False)
    finding = forms.ChoiceField(label=_("结论"), choices=RiskFinding.choices, error_messages=_required(_("请选择结论")))
    note = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False, max_length=4000)

    def __init__(self, *args, user, **kwargs):
        from .models import RiskRecord

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_in_scope(user, RiskRecord, "record")


class CauseForm(forms.Form):
    """A rectification from a finding: the causes of the certificate's scheme."""

    cause = forms.ChoiceField(label=_("整改原因"), error_messages=_required(_("请选择整改原因")))
    detail = forms.CharField(label=_("问题描述"), widget=TEXTAREA, error_messages=_required(_("请描述发现的问题")))

    def __init__(self, *args, scheme: str, default: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = [("", "---------"), *cause_tables.labels(
            cause_tables.RECTIFICATION_CAUSES, scheme).items()]
        self.fields["cause"].initial = default


# --- unannounced inspections ------------------------------------------------------------------------------


def inspectors_in_scope(user):
    """Inspectors registered with an agency of the user's province (everyone's for national staff)."""
    scope = scope_for(user, "view", _flight_model())
    rows = User.objects.filter(is_active=True, role_assignments__role=Role.INSPECTOR).distinct()
    if scope.kind == REGION:
        rows = rows.filter(agency__region__code__startswith=str(scope.value)[:2])
    elif scope.kind != ALL:
        rows = rows.none()
    return rows.order_by("username")


def _flight_model():
    from .models import FlightInspection

    return FlightInspection


class UserChoiceMixin:
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class InspectorsField(UserChoiceMixin, forms.ModelMultipleChoiceField):
    pass


class UserField(UserChoiceMixin, forms.ModelChoiceField):
    pass


class FlightPlanForm(forms.Form):
    certificate_number = forms.CharField(label=_("证书编号"), max_length=40,
                                         error_messages=_required(_("请填写证书编号")))
    planned_on = forms.DateField(label=_("计划检查日期"), widget=DATE,
                                 error_messages=_required(_("请填写计划检查日期")))
    reason = forms.CharField(label=_("检查事由"), widget=TEXTAREA, error_messages=_required(_("请填写检查事由")))
    inspectors = InspectorsField(label=_("检查员"), queryset=User.objects.none(),
                                 widget=forms.CheckboxSelectMultiple,
                                 error_messages=_required(_("请至少指派一名检查员")))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors_in_scope(user)


class FlightRecordForm(forms.Form):
    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE, error_messages=_required(_("请填写检查日期")))
    findings = forms.CharField(label=_("检查发现"), widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages=_required(_("请填写检查发现")))
    conclusion = forms.ChoiceField(label=_("结论"), choices=FlightConclusion.choices, widget=forms.RadioSelect,
                                   error_messages=_required(_("请选择结论")))
    cause = forms.ChoiceField(label=_("整改原因（限期整改时）"), required=False)
    causes = forms.MultipleChoiceField(label=_("取消原因（报请取消时）"), required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, scheme: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspected_on"].initial = clock.today()
        self.fields["cause"].choices = list(cause_tables.labels(cause_tables.RECTIFICATION_CAUSES, scheme).items())
        self.fields["cause"].initial = cause_tables.INSPECTION_FAILED
        self.fields["causes"].choices = list(cause_tables.labels(cause_tables.REVOCATION_CAUSES, scheme).items())


FLIGHT_STATUSES = FlightStatus.choices


# --- market checks ----------------------------------------------------------------------------------------


class MarketCheckForm(forms.Form):
    place = forms.CharField(label=_("检查场所"), max_length=200, error_messages=_required(_("请填写检查场所")))
    place_kind = forms.ChoiceField(label=_("场所类型"), choices=PlaceKind.choices,
                                   error_messages=_required(_("请选择场所类型")))
    region = RegionChoiceField(label=_("所在地区"), queryset=Region.objects.none(),
                               error_messages=_required(_("请选择所在地区")))
    checked_on = forms.DateField(label=_("检查日期"), widget=DATE, error_messages=_required(_("请填写检查日期")))
    inspectors = forms.CharField(label=_("检查人员"), max_length=200, error_messages=_required(_("请填写检查人员")))
    note = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False, max_length=4000)

    def __init__(self, *args, user, **kwargs):
        from .models import MarketCheck

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_in_scope(user, MarketCheck, "record")
        self.fields["checked_on"].initial = clock.today()


class MarketItemForm(forms.Form):
    product_name = forms.CharField(label=_("产品"), max_length=120, error_messages=_required(_("请填写产品名称")))
    seller = forms.CharField(label=_("经营者（摊位/店铺）"), max_length=200,
                             error_messages=_required(_("请填写经营者")))
    mark_scheme = forms.ChoiceField(label=_("包装上的标志"), choices=Scheme.choices,
                                    error_messages=_required(_("请选择包装上的标志")))
    number_shown = forms.CharField(label=_("包装上的编号"), max_length=200,
                                   help_text=_("产品编号或扫描二维码所得内容，系统自动核验"),
                                   error_messages=_required(_("请填写包装上的标志编号")))
    label_ok = forms.BooleanField(label=_("标签符合标志使用规范"), required=False, initial=True)
    note = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False, max_length=4000)


class DetailForm(forms.Form):
    detail = forms.CharField(label=_("问题描述"), widget=TEXTAREA, error_messages=_required(_("请描述发现的问题")))


class HandOverForm(forms.Form):
    handed_to = forms.CharField(label=_("移交单位"), max_length=200, initial=_("市场监督管理局"),
                                error_messages=_required(_("请填写移交单位")))
    handed_on = forms.DateField(label=_("移交日期"), widget=DATE, error_messages=_required(_("请填写移交日期")))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handed_on"].initial = clock.today()


class FiguresForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


# --- label filing ------------------------------------------------------------------------------------------


class CertificateField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.product_name}"


class LabelFileForm(forms.Form):
    certificate = CertificateField(label=_("证书"), queryset=None, error_messages=_required(_("请选择证书")))
    file = forms.FileField(label=_("标签设计稿"), help_text=_("PDF、JPG 或 PNG，不超过 20 MB"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
                           error_messages=_required(_("请选择文件（文件不能为空）")))
    description = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False, max_length=4000)

    def __init__(self, *args, user, **kwargs):
        from sanpin.certificates.models import Certificate

        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["certificate"].queryset = (
            Certificate.objects.restrict(user, "view").filter(renewed=False, status__in=["valid", "in_rectification"],
                                                              valid_until__gte=today).order_by("number"))


class LabelReviewForm(forms.Form):
    DECISIONS = [("approve", _("准予备案")), ("return", _("退回修改"))]
    decision = forms.ChoiceField(label=_("审核结论"), choices=DECISIONS, widget=forms.RadioSelect,
                                 error_messages=_required(_("请选择审核结论")))
    comments = forms.CharField(label=_("审核意见"), widget=TEXTAREA, required=False, max_length=4000)


LABEL_STATUSES = LabelStatus.choices


# --- complaints -----------------------------------------------------------------------------------------------


class ComplaintForm(forms.Form):
    """The public form: no sign-in; the number routes it, else the region picked."""

    product_name = forms.CharField(label=_("产品名称"), max_length=120, error_messages=_required(_("请填写产品名称")))
    number_shown = forms.CharField(label=_("包装上的标志编号"), max_length=200, required=False,
                                   help_text=_("如有，请照包装填写；系统据此转交获证单位所在省的工作机构"))
    place = forms.CharField(label=_("发现地点（市场、商超、网店等）"), max_length=200,
                            error_messages=_required(_("请填写发现地点")))
    region = RegionChoiceField(label=_("受理地区"), required=False, empty_label=_("请选择省份或地市"),
                               queryset=Region.objects.filter(is_active=True, level__in=[RegionLevel.PROVINCE,
                                                                                       RegionLevel.CITY])
                               .order_by("code"),
                               help_text=_("编号查不到时必选：举报转交该地区的工作机构"),
                               error_messages={"invalid_choice": _("请选择列出的地区")})
    description = forms.CharField(label=_("举报内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages=_required(_("请描述举报的问题")))
    contact = forms.CharField(label=_("联系方式（选填）"), max_length=100, required=False,
                              help_text=_("仅工作机构可见，用于核实情况"))
    photo = forms.FileField(label=_("照片（选填）"), required=False, help_text=_("JPG、PNG 或 PDF，不超过 20 MB"),
                            widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20, error_messages=_required(_("请填写查询码")))


def staff_in_scope(complaint):
    """Staff who could handle the complaint: those whose region contains it."""
    code = complaint.region_id
    prefixes = {code[:2], code[:4], code}
    rows = User.objects.filter(is_active=True, role_assignments__role__in=list(REVIEW_STAFF_ROLES)).distinct()
    return [u for u in rows.select_related("agency__region").order_by("username")
            if (u.agency is None and u.roles & {Role.SYSTEM_ADMIN, Role.NATIONAL_REVIEWER})
            or (u.agency and (u.agency.region is None or u.agency.region.scope_prefix in prefixes))]


class AssignForm(forms.Form):
    assignee = UserField(label=_("承办人"), queryset=User.objects.none(), error_messages=_required(_("请选择承办人")))

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in staff_in_scope(complaint)]
        self.fields["assignee"].queryset = User.objects.filter(pk__in=ids).order_by("username")


class CloseForm(forms.Form):
    result = forms.ChoiceField(label=_("办理结果"), choices=ComplaintResult.choices, widget=forms.RadioSelect,
                               error_messages=_required(_("请选择办理结果")))
    findings = forms.CharField(label=_("核查情况（仅工作机构可见）"), widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages=_required(_("请填写核查情况")))
    rectify = forms.BooleanField(label=_("举报属实，对获证单位作出整改决定"), required=False)
    cause = forms.ChoiceField(label=_("整改原因"), required=False)

    def __init__(self, *args, scheme: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(cause_tables.labels(cause_tables.RECTIFICATION_CAUSES, scheme).items()) if scheme else []
        self.fields["cause"].choices = choices
        if not scheme:
            del self.fields["rectify"]
            del self.fields["cause"]


COMPLAINT_STATUSES = ComplaintStatus.choices
