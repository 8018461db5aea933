"""Annual inspection under /api/v1/: plans (list, generate, detail, regenerate), items (list,
detail, assign, record), records, and coverage per region. Thin: parse → access (selectors:
403 wrong role, 404 out of scope) → service → serialize; errors leave as {"code", "message", "fields"}."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.accounts.models import User
from sanpin.api.schema import ErrorBodySerializer
from sanpin.catalog.models import Region
from sanpin.core import clock
from sanpin.core.access import can, require_role
from sanpin.core.api.lists import ScopedListView, int_param
from sanpin.core.errors import PermissionDenied, ValidationFailed

from .. import selectors, services
from ..models import AnnualInspectionPlan, InspectionRecord, PlanItem
from ..views import COVERAGE_ROLES
from .serializers import (
    AssignInSerializer,
    CoverageSerializer,
    ItemSerializer,
    PlanInSerializer,
    PlanSerializer,
    RecordInSerializer,
    RecordSerializer,
    RegenerateInSerializer,
    RegenerateOutSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404, 409)}
TAGS = ["inspections"]


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="年检计划列表（按管辖范围）",
    parameters=[OpenApiParameter("year", OpenApiTypes.INT),
                OpenApiParameter("province", OpenApiTypes.STR, description="省级区划代码")],
    responses={200: PlanSerializer(many=True), **ERRORS}))
class PlanListView(ScopedListView):
    """Plans in the caller's scope; POST generates one (provincial or national staff)."""

    serializer_class = PlanSerializer
    model = AnnualInspectionPlan

    def rows(self):
        rows = selectors.plans(self.request.user).order_by("-year", "province_id")
        year = int_param(self.request, "year")
        if year:
            rows = rows.filter(year=year)
        province = self.request.query_params.get("province", "").strip()
        if province:
            rows = rows.filter(province_id=province)
        return rows

    @extend_schema(tags=TAGS, summary="生成年检计划", request=PlanInSerializer,
                   description="列入基准日（默认 1 月 1 日）持有所选认证类型有效（含整改中）证书的本省全部单位，"
                               "每家一项并附其证书。400：省份、年度、认证类型或基准日不正确；403：不是本省；"
                               "409：该省该年度计划已存在（请重新生成）。",
                   responses={201: PlanSerializer, **ERRORS})
    def post(self, request):
        if not can(request.user, "generate", AnnualInspectionPlan):
            raise PermissionDenied()
        body = PlanInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        # An unknown or non-provincial code is refused by the service, with the other fields' errors.
        province = Region.objects.filter(code=values.pop("province").strip(), level="province").first()
        plan = services.plan_generate(actor=request.user, province=province, **values)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanDetailView(APIView):
    @extend_schema(tags=TAGS, summary="年检计划详情", responses={200: PlanSerializer, **ERRORS})
    def get(self, request, id):
        return Response(PlanSerializer(selectors.plan(request.user, id)).data)


class PlanRegenerateView(APIView):
    @extend_schema(tags=TAGS, summary="重新生成年检名单（只增不减）", request=RegenerateInSerializer,
                   description="增加基准日（默认今天）新获证的单位和证书；已列入的单位不会被删除。",
                   responses={200: RegenerateOutSerializer, **ERRORS})
    def post(self, request, id):
        plan = selectors.plan(request.user, id)
        if not can(request.user, "generate", AnnualInspectionPlan):
            raise PermissionDenied()
        body = RegenerateInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        items, links = services.plan_regenerate(actor=request.user, plan=plan, on=body.validated_data["on"])
        plan = selectors.plan(request.user, id)
        return Response(RegenerateOutSerializer({"plan": plan, "items_added": items,
                                                 "certificates_linked": links}).data)


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="年检对象列表（按管辖范围）",
    parameters=[OpenApiParameter("plan", OpenApiTypes.INT), OpenApiParameter("year", OpenApiTypes.INT),
                OpenApiParameter("inspected", OpenApiTypes.STR,
                                 description="yes 已检查 / no 未检查 / unassigned 未指派"),
                OpenApiParameter("inspector", OpenApiTypes.STR, description="me：指派给我的"),
                OpenApiParameter("q", OpenApiTypes.STR, description="单位名称、信用代码或证书编号")],
    responses={200: ItemSerializer(many=True), **ERRORS}))
class ItemListView(ScopedListView):
    """Plan items in scope (an inspector also sees those assigned to them)."""

    serializer_class = ItemSerializer
    model = PlanItem

    def rows(self):
        params = self.request.query_params
        rows = selectors.items(self.request.user)
        inspector = self.request.user if params.get("inspector") == "me" else None
        rows = selectors.filter_items(rows, plan_id=int_param(self.request, "plan"),
                                      inspected=params.get("inspected", ""), q=params.get("q", ""),
                                      inspector=inspector)
        year = int_param(self.request, "year")
        if year:
            rows = rows.filter(plan__year=year)
        return rows.order_by("plan_id", "entity__name", "pk")


def _item_out(user, pk):
    return ItemSerializer(selectors.item(user, pk)).data


class ItemDetailView(APIView):
    @extend_schema(tags=TAGS, summary="年检对象详情（含证书和检查结果）", responses={200: ItemSerializer, **ERRORS})
    def get(self, request, id):
        return Response(_item_out(request.user, id))


class ItemAssignView(APIView):
    @extend_schema(tags=TAGS, summary="指派检查员", request=AssignInSerializer,
                   description="检查员须持有本省有效的相应资质（绿色食品：检查员或监管员；绿色生资：绿色生资管理员）。"
                               "400：资质不符或已过期；409：检查结果已录入。",
                   responses={200: ItemSerializer, **ERRORS})
    def post(self, request, id):
        item = selectors.item(request.user, id, "assign")
        body = AssignInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        inspector = User.objects.filter(pk=body.validated_data["inspector"], is_system=False).first()
        if inspector is None:
            raise ValidationFailed(fields={"inspector": _("未找到该检查员")})
        services.item_assign(actor=request.user, item=item, inspector=inspector)
        return Response(_item_out(request.user, id))


class ItemRecordView(APIView):
    @extend_schema(tags=TAGS, summary="录入年检结果", request=RecordInSerializer,
                   description="由指派的检查员或本省工作机构录入，每家单位每年一次。rectify：对其有效证书作出整改决定"
                               "（原因：年度检查不合格）；fail：报请取消标志使用权。400：缺少结论、检查日期晚于今天或"
                               "不在计划年度、整改或不合格未写明问题；403：不是指派的检查员；409：已录入。",
                   responses={201: RecordSerializer, **ERRORS})
    def post(self, request, id):
        item = selectors.item(request.user, id)
        body = RecordInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.inspection_record(actor=request.user, item=item, **body.validated_data)
        return Response(RecordSerializer(record).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="年检记录列表（按管辖范围）",
    parameters=[OpenApiParameter("year", OpenApiTypes.INT),
                OpenApiParameter("conclusion", OpenApiTypes.STR, description="pass / rectify / fail")],
    responses={200: RecordSerializer(many=True), **ERRORS}))
class RecordListView(ScopedListView):
    serializer_class = RecordSerializer
    model = InspectionRecord

    def rows(self):
        rows = selectors.records(self.request.user).prefetch_related("rectifications", "revocation_requests")
        year = int_param(self.request, "year")
        if year:
            rows = rows.filter(item__plan__year=year)
        conclusion = self.request.query_params.get("conclusion", "")
        if conclusion:
            rows = rows.filter(conclusion=conclusion)
        return rows.order_by("-inspected_on", "-pk")


class CoverageView(APIView):
    @extend_schema(tags=["stats"], summary="年检覆盖率（按下级区划，目标 100%）",
                   parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="默认今年"),
                               OpenApiParameter("region", OpenApiTypes.STR, description="区划代码；默认本机构区划")],
                   responses={200: CoverageSerializer(many=True), **ERRORS})
    def get(self, request):
        require_role(request.user, COVERAGE_ROLES)
        raw = request.query_params.get("year") or str(clock.today().year)
        if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
            raise ValidationFailed(fields={"year": _("年份应为 2000–2100 的整数")})
        region = selectors.region_in_scope(request.user, request.query_params.get("region", "").strip())
        rows = selectors.coverage(year=int(raw), region=region)
        return Response(CoverageSerializer([
            {"region": {"code": r.region.code, "name": r.region.name}, "planned": r.planned, "inspected": r.inspected,
             "percent": r.percent, "target": selectors.TARGET, "flagged": r.flagged}
            for r in rows
        ], many=True).data)
