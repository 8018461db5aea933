"""Oversight under /api/v1/: the staff lists (scoped like the pages) and the public complaint
endpoints (no sign-in, throttled). Thin: parse → access → service/selector → serialize; errors
leave as {"code", "message", "fields"}."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.api.throttling import ScopedWindowThrottle
from sanpin.catalog.models import Region
from sanpin.core.access import can
from sanpin.core.api.lists import ScopedListView
from sanpin.core.errors import NotFound, PermissionDenied, ValidationFailed

from .. import selectors, services
from ..models import Complaint, FlightInspection, LabelFiling, MarketCheck, RiskProject, RiskRecord
from ..throttles import ComplaintThrottle
from .serializers import (
    ComplaintInSerializer,
    ComplaintSerializer,
    ComplaintStatusSerializer,
    FlightInspectionSerializer,
    LabelFilingSerializer,
    MarkCaseSerializer,
    MarketCheckSerializer,
    MarketFigureSerializer,
    RiskProjectSerializer,
    RiskRecordSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404)}
TAGS = ["oversight"]
Q_PARAM = OpenApiParameter("q", OpenApiTypes.STR, description="关键词")
STATUS_PARAM = OpenApiParameter("status", OpenApiTypes.STR, description="状态代码")


class _ScopedList(ScopedListView):
    """A scoped list: 403 for a role that may never see the model; rows limited to the scope."""

    # filtered by `q` over `fields_q` and by `status` (on `status_field`)

    fields_q: tuple = ()
    status_field = "status"

    def get_queryset(self):
        params = self.request.query_params
        return selectors.filter_rows(super().get_queryset(), q=params.get("q", ""), status=params.get("status", ""),
                                     fields=self.fields_q, status_field=self.status_field)


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="风险监测项目（按管辖范围）",
    parameters=[Q_PARAM, OpenApiParameter("year", OpenApiTypes.INT)],
    responses={200: RiskProjectSerializer(many=True), **ERRORS}))
class RiskProjectListView(_ScopedList):
    serializer_class = RiskProjectSerializer
    model = RiskProject
    fields_q = ("number", "title", "focus")

    def rows(self):
        rows = selectors.risk_projects(self.request.user).prefetch_related("regions")
        year = self.request.query_params.get("year", "")
        return rows.filter(year=year) if year.isdigit() else rows


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="风险监测记录（按管辖范围）",
    parameters=[Q_PARAM, OpenApiParameter("status", OpenApiTypes.STR,
                                          description="结论：normal / risk / exceeded"),
                OpenApiParameter("project", OpenApiTypes.STR, description="项目编号")],
    responses={200: RiskRecordSerializer(many=True), **ERRORS}))
class RiskRecordListView(_ScopedList):
    serializer_class = RiskRecordSerializer
    model = RiskRecord
    fields_q = ("sample_code", "product_name", "indicator", "certificate__number")
    status_field = "finding"

    def rows(self):
        rows = selectors.risk_records(self.request.user)
        project = self.request.query_params.get("project", "")
        return rows.filter(project__number=project) if project else rows


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="飞行检查（按管辖范围；获证单位只见已检查的）",
    parameters=[Q_PARAM, OpenApiParameter("status", OpenApiTypes.STR,
                                          description="planned / recorded")],
    responses={200: FlightInspectionSerializer(many=True), **ERRORS}))
class FlightInspectionListView(_ScopedList):
    serializer_class = FlightInspectionSerializer
    model = FlightInspection
    fields_q = ("number", "certificate__number", "certificate__holder__name")

    def rows(self):
        return selectors.flights(self.request.user).select_related("rectification", "revocation").prefetch_related(
            "inspectors")


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="用标监察（按管辖范围），含检查的产品及核验结果", parameters=[Q_PARAM],
    responses={200: MarketCheckSerializer(many=True), **ERRORS}))
class MarketCheckListView(_ScopedList):
    serializer_class = MarketCheckSerializer
    model = MarketCheck
    fields_q = ("number", "place")

    def rows(self):
        return selectors.market_checks(self.request.user).prefetch_related("items__case", "items__certificate")


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="假冒、冒用标志案件（按管辖范围）",
    parameters=[Q_PARAM, OpenApiParameter("status", OpenApiTypes.STR, description="open / handed_over"),
                OpenApiParameter("kind", OpenApiTypes.STR, description="counterfeit / unauthorised")],
    responses={200: MarkCaseSerializer(many=True), **ERRORS}))
class MarkCaseListView(_ScopedList):
    serializer_class = MarkCaseSerializer
    model = MarketCheck
    fields_q = ("number", "seller", "place", "item__number_shown")

    def rows(self):
        rows = selectors.mark_cases(self.request.user)
        kind = self.request.query_params.get("kind", "")
        return rows.filter(kind=kind) if kind else rows


class MarketFiguresView(APIView):
    @extend_schema(tags=TAGS, summary="用标监察统计：各下级地区、各年度的检查次数、产品数和假冒标志数",
                   parameters=[OpenApiParameter("year", OpenApiTypes.INT)],
                   responses={200: MarketFigureSerializer(many=True), **ERRORS})
    def get(self, request):
        if not can(request.user, "view", MarketCheck):
            raise PermissionDenied()
        year = request.query_params.get("year", "")
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise ValidationFailed(fields={"year": _("年度不正确")})
        rows = selectors.market_figures(request.user, int(year) if year else None)
        return Response(MarketFigureSerializer(rows, many=True).data)


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="包装标签备案（按管辖范围；获证单位只见本单位）",
    parameters=[Q_PARAM, OpenApiParameter("status", OpenApiTypes.STR,
                                          description="submitted / approved / returned")],
    responses={200: LabelFilingSerializer(many=True), **ERRORS}))
class LabelFilingListView(_ScopedList):
    serializer_class = LabelFilingSerializer
    model = LabelFiling
    fields_q = ("number", "certificate__number", "certificate__holder__name")

    def rows(self):
        return selectors.label_filings(self.request.user)


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="举报（受理地区在管辖范围内的）",
    parameters=[Q_PARAM, OpenApiParameter("status", OpenApiTypes.STR,
                                          description="received / handling / closed")],
    responses={200: ComplaintSerializer(many=True), **ERRORS}))
class ComplaintListView(_ScopedList):
    serializer_class = ComplaintSerializer
    model = Complaint
    fields_q = ("tracking_code", "product_name", "number_shown", "place")

    def rows(self):
        return selectors.complaints(self.request.user).select_related("rectification")


class PublicComplaintView(APIView):
    """POST a complaint without signing in (throttled per address)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ComplaintThrottle]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(tags=["public"], summary="公众举报（无需登录，限频）",
                   request={"multipart/form-data": ComplaintInSerializer, "application/json": ComplaintInSerializer},
                   description="编号查到证书时转交获证单位所在省的工作机构，否则转交 region 指定的地区。"
                               "返回查询码，凭码查询办理状态。400：缺少必填项、地区不正确或照片类型不符，此时不写入任何内容。",
                   responses={201: ComplaintStatusSerializer, 400: ErrorBodySerializer, 429: ErrorBodySerializer})
    def post(self, request):
        body = ComplaintInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        code = values.pop("region")
        region = None
        if code:
            region = Region.objects.filter(code=code, is_active=True).first()
            if region is None:
                raise ValidationFailed(fields={"region": _("地区代码不正确")})
        try:
            complaint = services.complaint_submit(region=region, **values)
        except ValidationFailed as exc:  # the service names the upload "file"; the input is "photo"
            fields = {("photo" if k == "file" else k): v for k, v in exc.fields.items()}
            raise ValidationFailed(exc.message, fields=fields) from None
        return Response(ComplaintStatusSerializer(services.complaint_public(complaint.tracking_code)).data,
                        status=status.HTTP_201_CREATED)


class PublicComplaintStatusView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"

    @extend_schema(tags=["public"], summary="凭查询码查询举报办理状态（仅状态）",
                   responses={200: ComplaintStatusSerializer, 404: ErrorBodySerializer})
    def get(self, request, tracking_code):
        found = services.complaint_public(tracking_code)
        if found is None:
            raise NotFound(_("查询码不正确"))
        return Response(ComplaintStatusSerializer(found).data)
