"""Forms of the library pages. They only parse: every rule is checked by the services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core.access import ALL, REGION, scope_for

from .choices import (
    DeliveryMeans,
    ProcedureKind,
    ProcedureStatus,
    ProductField,
    StandardKind,
    StandardStatus,
    TrainingKind,
)
from .models import Procedure, Standard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY = [("", _("全部"))]


def regions_in_scope(user, model, action: str):
    """The regions `user` may file a document or session under: the own region and those below
    (national staff: provinces and cities)."""
    scope = scope_for(user, action, model)
    rows = Region.objects.filter(is_active=True)
    if scope.kind == ALL:
        return rows.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.CITY]).order_by("code")
    if scope.kind == REGION:
        return rows.filter(code__startswith=scope.value).order_by("code")
    return rows.none()


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        indent = {RegionLevel.CITY: "　", RegionLevel.COUNTY: "　　"}.get(obj.level, "")
        return f"{indent}{obj.name}"


class StandardChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}"


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("类别"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ANY + StandardStatus.choices)
    product = forms.CharField(label=_("产品"), required=False, max_length=100)
    product_field = forms.ChoiceField(label=_("领域"), required=False, choices=ANY + ProductField.choices)
    region = forms.ModelChoiceField(label=_("适用区域"), required=False, to_field_name="code",
                                    queryset=Region.objects.filter(level=RegionLevel.PROVINCE, is_active=True),
                                    empty_label=_("全部"))

    def __init__(self, *args, tab: str = "standards", **kwargs):
        super().__init__(*args, **kwargs)
        choices = StandardKind.choices if tab == "standards" else ProcedureKind.choices
        self.fields["kind"].choices = ANY + choices


class StandardForm(forms.Form):
    kind = forms.ChoiceField(label=_("标准类别"), choices=StandardKind.choices)
    number = forms.CharField(label=_("标准编号"), max_length=40, help_text=_("含年号，如 NY/T 393-2020"))
    title = forms.CharField(label=_("标准名称"), max_length=200)
    published_on = forms.DateField(label=_("发布日期"), widget=DATE)
    effective_on = forms.DateField(label=_("实施日期"), widget=DATE)
    product_field = forms.ChoiceField(label=_("适用领域"), choices=ProductField.choices, initial=ProductField.GENERAL)
    summary = forms.CharField(label=_("内容摘要"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("标准文本（PDF）"), required=False, help_text=_("PDF，不超过 20 MB"))
    file_public = forms.BooleanField(label=_("全文公开"), required=False,
                                     help_text=_("标准全文可公开提供下载时勾选；否则仅工作人员可下载"))

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["upload"] = data.pop("file")
        return data


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("废止日期"), widget=DATE)
    replaced_by = forms.ModelChoiceField(label=_("被代替为"), required=False, empty_label=_("（无代替标准）"),
                                         queryset=Standard.objects.filter(withdrawn_on__isnull=True))
    reason = forms.CharField(label=_("废止依据"), max_length=300, help_text=_("公告或文号"))


class ProcedureForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=ProcedureKind.choices)
    product = forms.CharField(label=_("产品"), max_length=100)
    product_field = forms.ChoiceField(label=_("产品领域"), choices=ProductField.choices)
    region = RegionChoiceField(label=_("适用区域"), queryset=Region.objects.none(),
                               help_text=_("适用于该区域及其下级区域"))
    issuing_agency = forms.CharField(label=_("发布单位"), max_length=120)
    issued_on = forms.DateField(label=_("发布日期"), required=False, widget=DATE)
    version = forms.CharField(label=_("版本"), max_length=30, initial="第1版")
    standards = StandardChoiceField(label=_("相关标准"), required=False, queryset=Standard.objects.all(),
                                    widget=forms.SelectMultiple(attrs={"size": 6}))
    summary = forms.CharField(label=_("内容摘要"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("文件"), required=False,
                           help_text=_("PDF、JPG 或 PNG，不超过 20 MB；发布前必须上传"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_in_scope(user, Procedure, "change")

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["upload"] = data.pop("file")
        return data


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("说明"), required=False, max_length=300)


def _split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DistributionForm(forms.Form):
    document = forms.ChoiceField(label=_("发放的标准或规程"))
    recipients = forms.CharField(
        label=_("接收主体或基地"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个：主体填统一社会信用代码，基地填目录编号（JD…）或基地全称。任一行有误则全部不登记。"))
    delivered_on = forms.DateField(label=_("发放日期"), widget=DATE)
    means = forms.ChoiceField(label=_("发放方式"), choices=DeliveryMeans.choices)
    copies = forms.IntegerField(label=_("每个接收方份数"), min_value=1, initial=1)
    delivered_by = forms.CharField(label=_("发放人"), max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        standards = [(f"s{s.pk}", f"{s.number} {s.title}")
                     for s in Standard.objects.filter(withdrawn_on__isnull=True)]
        procedures = [(f"p{p.pk}", f"{p.title}（{p.get_kind_display()}，{p.version}）")
                      for p in Procedure.objects.filter(status=ProcedureStatus.PUBLISHED)]
        self.fields["document"].choices = [("", "—"), (_("标准"), standards), (_("规程/明白纸"), procedures)]

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        document = data.pop("document")
        data["standard"] = Standard.objects.filter(pk=document[1:]).first() if document.startswith("s") else None
        data["procedure"] = Procedure.objects.filter(pk=document[1:]).first() if document.startswith("p") else None
        data["recipients"] = _split_lines(data["recipients"])
        return data


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=TrainingKind.choices)
    title = forms.CharField(label=_("主题"), max_length=200)
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    region = RegionChoiceField(label=_("举办地区"), queryset=Region.objects.none())
    location = forms.CharField(label=_("地点"), max_length=200)
    trainer = forms.CharField(label=_("授课/指导人员"), max_length=120)
    standards = StandardChoiceField(label=_("涉及标准"), required=False, queryset=Standard.objects.all(),
                                    widget=forms.SelectMultiple(attrs={"size": 5}))
    procedures = forms.ModelMultipleChoiceField(
        label=_("涉及规程/明白纸"), required=False, widget=forms.SelectMultiple(attrs={"size": 5}),
        queryset=Procedure.objects.filter(status=ProcedureStatus.PUBLISHED))

    def __init__(self, *args, user, **kwargs):
        from .models import TrainingSession

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_in_scope(user, TrainingSession, "change")


class AttendanceForm(forms.Form):
    rows = forms.CharField(
        label=_("参训名单"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个：统一社会信用代码或基地目录编号/全称，逗号后写人数，如 91450100…，3。"
                    "任一行有误则全部不登记。"))

    def service_rows(self) -> list[tuple[str, object]]:
        rows = []
        for line in _split_lines(self.cleaned_data["rows"]):
            parts = re.split(r"[,，\t]", line, maxsplit=1)
            people = parts[1].strip() if len(parts) > 1 else ""
            rows.append((parts[0].strip(), int(people) if people.isdigit() else people))
        return rows


class CoverageForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("截止日期不能早于起始日期"))
        return data
