"""Labs and people under /api/v1/: proficiency tests and flying inspections of labs (national
staff), a lab's standing, training records, the people register and yearly performance.
Thin: parse → access → service/selector → serialize; errors leave as {"code", "message", "fields"}."""

import datetime
from abc import ABCMeta, abstractmethod

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.catalog.models import Entity, Region
from sanpin.core import clock
from sanpin.core.access import can
from sanpin.core.api.lists import ScopedListView, int_param
from sanpin.core.errors import PermissionDenied, ValidationFailed

from .. import performance, selectors, services
from ..choices import PersonGroup
from ..models import LabInspection, ProficiencyTest, TrainingRecord
from .serializers import (
    GROUP_HELP,
    ExpertYearSerializer,
    InspectorYearSerializer,
    LabInspectionInSerializer,
    LabInspectionSerializer,
    LabStandingSerializer,
    PersonSerializer,
    ProficiencyTestInSerializer,
    ProficiencyTestSerializer,
    TrainingRecordInSerializer,
    TrainingRecordSerializer,
    VoidInSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404, 409)}
TAGS = ["workforce"]
YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认今年）")


def _year(request) -> int:
    year = int_param(request, "year")
    if year is None:
        return clock.today().year
    if not 2000 <= year <= 2100:
        raise ValidationFailed(fields={"year": _("年度应在 2000 至 2100 之间")})
    return year


def _lab_for(user, lab_id) -> Entity:
    """The lab named in a request body: 400 (not 404) when it is not a lab."""
    lab = selectors.labs(user).filter(pk=lab_id).first()
    if lab is None:
        raise ValidationFailed(fields={"lab": _("未找到该检测机构")})
    return lab


class _LabRecordList(ScopedListView):
    # One kind of a lab's oversight record (national staff): GET lists them (`?lab=` one lab's),
    # POST records one for the lab named in the body (400 when it is not a lab). Comments, not a
    # docstring: drf-spectacular would publish it as the subclasses' description.

    in_serializer = None
    order_by: tuple = ()

    @abstractmethod
    def selected(self, user):
        """The records of this kind `user` may see."""

    @abstractmethod
    def record(self, **values):
        """Record one through the service."""

    def rows(self):
        rows = self.selected(self.request.user)
        lab = int_param(self.request, "lab")
        if lab:
            rows = rows.filter(lab_id=lab)
        return rows.order_by(*self.order_by)

    def post(self, request):
        if not can(request.user, "change", self.model):
            raise PermissionDenied()
        body = self.in_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        lab = _lab_for(request.user, values.pop("lab"))
        row = self.record(actor=request.user, lab=lab, **values)
        return Response(self.serializer_class(row).data, status=status.HTTP_201_CREATED)


LAB_PARAM = OpenApiParameter("lab", OpenApiTypes.INT, description="检测机构 id")


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="能力验证结果列表（国家级）", parameters=[LAB_PARAM],
                      responses={200: ProficiencyTestSerializer(many=True), **ERRORS}),
    post=extend_schema(tags=TAGS, summary="录入能力验证结果", request=ProficiencyTestInSerializer,
                       description="结果为“不满意”时，该机构在取得同一业务、同一检测项目的满意结果之前不能被委托该项检测。"
                                   "400：机构不是该业务的定点机构、日期晚于今天、字段缺失。",
                       responses={201: ProficiencyTestSerializer, **ERRORS}))
class ProficiencyTestListView(_LabRecordList):
    serializer_class, in_serializer = ProficiencyTestSerializer, ProficiencyTestInSerializer
    model = ProficiencyTest
    order_by = ("-tested_on", "-pk")

    def selected(self, user):
        return selectors.proficiency_tests(user)

    def record(self, **values):
        return services.proficiency_test_record(**values)


@extend_schema_view(
    get=extend_schema(tags=TAGS, summary="检测机构飞行检查列表（国家级）", parameters=[LAB_PARAM],
                      responses={200: LabInspectionSerializer(many=True), **ERRORS}),
    post=extend_schema(tags=TAGS, summary="录入检测机构飞行检查", request=LabInspectionInSerializer,
                       description="结论为“不合格”时，该机构在复查合格之前不能被委托该业务的任何检测。",
                       responses={201: LabInspectionSerializer, **ERRORS}))
class LabInspectionListView(_LabRecordList):
    serializer_class, in_serializer = LabInspectionSerializer, LabInspectionInSerializer
    model = LabInspection
    order_by = ("-inspected_on", "-pk")

    def selected(self, user):
        return selectors.lab_inspections(user)

    def record(self, **values):
        return services.lab_inspection_record(**values)


class _VoidView(APIView, metaclass=ABCMeta):
    # Void a lab record entered in error (`access` raises 403/404 first). A comment, not a docstring
    # (drf-spectacular would publish it as the subclasses' description).

    serializer_class = None

    @abstractmethod
    def access(self, user, pk):
        """The record to void, after the permission and scope checks (403/404)."""

    def post(self, request, pk):
        record = self.access(request.user, pk)
        body = VoidInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.lab_record_void(actor=request.user, record=record, reason=body.validated_data["reason"])
        return Response(self.serializer_class(row).data)


@extend_schema_view(post=extend_schema(tags=TAGS, summary="作废能力验证结果（录入错误时）", request=VoidInSerializer,
                                       responses={200: ProficiencyTestSerializer, **ERRORS}))
class ProficiencyTestVoidView(_VoidView):
    serializer_class = ProficiencyTestSerializer

    def access(self, user, pk):
        return selectors.proficiency_test(user, pk, "change")


@extend_schema_view(post=extend_schema(tags=TAGS, summary="作废飞行检查记录（录入错误时）", request=VoidInSerializer,
                                       responses={200: LabInspectionSerializer, **ERRORS}))
class LabInspectionVoidView(_VoidView):
    serializer_class = LabInspectionSerializer

    def access(self, user, pk):
        return selectors.lab_inspection(user, pk, "change")


class LabStandingView(APIView):
    @extend_schema(tags=TAGS, summary="检测机构的定点资格与当前可否委托",
                   parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="日期（默认今天）")],
                   responses={200: LabStandingSerializer, **ERRORS})
    def get(self, request, pk):
        if not can(request.user, "view", ProficiencyTest):
            raise PermissionDenied()
        lab = selectors.lab(request.user, pk)
        on_date = clock.today()
        raw = request.query_params.get("on", "").strip()
        if raw:
            try:
                on_date = datetime.date.fromisoformat(raw)
            except ValueError:
                raise ValidationFailed(fields={"on": _("日期格式应为 YYYY-MM-DD")}) from None
        standing = selectors.lab_standing(lab, on_date)
        return Response(LabStandingSerializer({
            "lab": lab, "on_date": on_date, "designations": standing.designations,
            "blocked": [{"scheme": scheme, "reasons": reasons} for scheme, reasons in standing.blocked.items()],
        }).data)


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="培训记录列表（按管辖范围）",
    parameters=[OpenApiParameter("person", OpenApiTypes.INT, description="人员 id"),
                OpenApiParameter("year", OpenApiTypes.INT, description="结束日期所在年度")],
    responses={200: TrainingRecordSerializer(many=True), **ERRORS}))
class TrainingRecordListView(ScopedListView):
    serializer_class = TrainingRecordSerializer
    model = TrainingRecord

    def rows(self):
        rows = selectors.trainings(self.request.user)
        person = int_param(self.request, "person")
        if person:
            rows = rows.filter(person_id=person)
        year = int_param(self.request, "year")
        if year:
            rows = rows.filter(ended_on__year=year)
        return rows.order_by("-ended_on", "-pk")

    @extend_schema(tags=TAGS, summary="录入培训记录", request=TrainingRecordInSerializer,
                   description="人员须持有在该省注册的检查员、监管员或内检员资质；省级人员只能录入本省人员。"
                               "400：日期颠倒或晚于今天、学时不是正数、同一主办单位的证书编号重复。",
                   responses={201: TrainingRecordSerializer, **ERRORS})
    def post(self, request):
        if not can(request.user, "change", TrainingRecord):
            raise PermissionDenied()
        body = TrainingRecordInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        person = selectors.people(request.user).filter(pk=values.pop("person")).first()
        if person is None:
            raise ValidationFailed(fields={"person": _("未找到该人员，或不在您的管辖范围内")})
        province = Region.objects.filter(code=values.pop("province").strip(), level="province").first()
        if province is None:
            raise ValidationFailed(fields={"province": _("请填写省级区划代码")})
        row = services.training_record(actor=request.user, person=person, province=province, **values)
        return Response(TrainingRecordSerializer(row).data, status=status.HTTP_201_CREATED)


def _group(request) -> str:
    group = request.query_params.get("group", "").strip()
    if group and group not in PersonGroup.values:
        raise ValidationFailed(fields={"group": _("未知的人员类别")})
    return group


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="检查员、监管员、内检员名录（按管辖范围）",
    parameters=[OpenApiParameter("group", OpenApiTypes.STR, description=GROUP_HELP),
                OpenApiParameter("q", OpenApiTypes.STR, description="姓名、账号或资质编号")],
    responses={200: PersonSerializer(many=True), **ERRORS}))
class PersonListView(ScopedListView):
    serializer_class = PersonSerializer
    model = TrainingRecord

    def rows(self):
        return selectors.people(self.request.user, group=_group(self.request),
                                q=self.request.query_params.get("q", "").strip())

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        for person in page or []:
            person.scoped_qualifications = list(selectors.person_qualifications(self.request.user, person))
        return page


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="检查员年度绩效（按管辖范围）",
    description="现场检查（审核环节指派）与年度检查：完成数、按时数、发现问题数，以及当年培训学时。",
    parameters=[YEAR, OpenApiParameter("group", OpenApiTypes.STR, description=GROUP_HELP)],
    responses={200: InspectorYearSerializer(many=True), **ERRORS}))
class InspectorPerformanceView(ScopedListView):
    serializer_class = InspectorYearSerializer
    model = TrainingRecord

    def rows(self):
        return selectors.people(self.request.user, group=_group(self.request))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return performance.inspector_years(list(page), _year(self.request), selectors.trainings(self.request.user))

    def check_params(self, request):
        _year(request)


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="评审专家年度参与情况（按管辖范围）",
    parameters=[YEAR], responses={200: ExpertYearSerializer(many=True), **ERRORS}))
class ExpertParticipationView(ScopedListView):
    serializer_class = ExpertYearSerializer
    model = TrainingRecord

    def rows(self):
        return selectors.experts(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return performance.expert_years([p.user for p in page], _year(self.request))

    def check_params(self, request):
        _year(request)
