"""Sampling under /api/v1/: plans with quotas and the draw, tasks and lab reports, the standards
table, and the pass rate per region. Thin: parse → access → service/selector → serialize; errors
leave as {"code", "message", "fields"}."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.accounts.choices import NATIONAL_ROLES
from sanpin.api.schema import ErrorBodySerializer
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region
from sanpin.core import clock
from sanpin.core.access import require_role
from sanpin.core.errors import ValidationFailed

from .. import selectors, services
from ..models import PASS_RATE_TARGET, PLAN_ROLES, TASK_ACTIONS, SamplingPlan, SamplingTask, Standard
from .serializers import (
    SamplingAssignInSerializer,
    SamplingDrawInSerializer,
    SamplingPassRatesSerializer,
    SamplingPlanInSerializer,
    SamplingPlanSerializer,
    SamplingQuotaInSerializer,
    SamplingReportInSerializer,
    SamplingStandardSerializer,
    SamplingTaskSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404, 409)}
TAGS = ["sampling"]


def _plan_out(user, pk):
    return SamplingPlanSerializer(selectors.plan(user, pk)).data


class PlanListView(generics.ListAPIView):
    """Sampling plans (every agency reads them); POST creates one (national staff)."""

    serializer_class = SamplingPlanSerializer
    queryset = SamplingPlan.objects.none()

    def get_queryset(self):
        rows = selectors.plans(self.request.user).order_by("-year", "scheme", "-pk")
        year = self.request.query_params.get("year", "")
        if year.isdigit():
            rows = rows.filter(year=int(year))
        scheme = self.request.query_params.get("scheme", "")
        return rows.filter(scheme=scheme) if scheme else rows

    @extend_schema(tags=TAGS, summary="抽检计划列表",
                   parameters=[OpenApiParameter("year", OpenApiTypes.INT),
                               OpenApiParameter("scheme", OpenApiTypes.STR)],
                   responses={200: SamplingPlanSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        require_role(request.user, PLAN_ROLES)
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="新建抽检计划（国家级）", request=SamplingPlanInSerializer,
                   responses={201: SamplingPlanSerializer, **ERRORS})
    def post(self, request):
        require_role(request.user, NATIONAL_ROLES)
        body = SamplingPlanInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.plan_create(actor=request.user, **body.validated_data)
        return Response(_plan_out(request.user, plan.pk), status=status.HTTP_201_CREATED)


class PlanDetailView(APIView):
    @extend_schema(tags=TAGS, summary="抽检计划详情（含各省任务数和抽取记录）",
                   responses={200: SamplingPlanSerializer, **ERRORS})
    def get(self, request, id):
        return Response(_plan_out(request.user, id))


class QuotaView(APIView):
    @extend_schema(tags=TAGS, summary="设置某省抽检数量（抽取前）", request=SamplingQuotaInSerializer,
                   description="count=0 删除该省。409：计划已抽取。",
                   responses={200: SamplingPlanSerializer, **ERRORS})
    def post(self, request, id):
        require_role(request.user, NATIONAL_ROLES)
        plan = selectors.plan(request.user, id)
        body = SamplingQuotaInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        region = Region.objects.filter(code=body.validated_data["region"]).first()
        services.quota_set(actor=request.user, plan=plan, region=region, count=body.validated_data["count"])
        return Response(_plan_out(request.user, id))


class DrawView(APIView):
    @extend_schema(tags=TAGS, summary="抽取（按风险和信用加权随机，种子留存）", request=SamplingDrawInSerializer,
                   description="同一种子、同一候选和权重必得同一结果；抽中的产品生成任务并委托定点检测机构。"
                               "400：未设置任务数或种子无效；409：已抽取。",
                   responses={200: SamplingPlanSerializer, **ERRORS})
    def post(self, request, id):
        require_role(request.user, NATIONAL_ROLES)
        plan = selectors.plan(request.user, id)
        body = SamplingDrawInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.plan_draw(actor=request.user, plan=plan, seed=body.validated_data.get("seed"))
        return Response(_plan_out(request.user, id))


class TaskListView(generics.ListAPIView):
    """Tasks in the caller's scope: the region's for agencies, its own for a lab."""

    serializer_class = SamplingTaskSerializer
    queryset = SamplingTask.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        rows = selectors.tasks(self.request.user).prefetch_related("report__results")
        return selectors.filter_tasks(rows, plan=params.get("plan", ""), status=params.get("status", ""),
                                      conclusion=params.get("conclusion", ""), q=params.get("q", "")).order_by("number")

    @extend_schema(tags=TAGS, summary="抽检任务列表（按管辖范围；检测机构只见委托本机构的任务）",
                   parameters=[OpenApiParameter("plan", OpenApiTypes.INT, description="计划 id"),
                               OpenApiParameter("status", OpenApiTypes.STR,
                                                description="unassigned / assigned / reported"),
                               OpenApiParameter("conclusion", OpenApiTypes.STR, description="pass / fail"),
                               OpenApiParameter("q", OpenApiTypes.STR)],
                   responses={200: SamplingTaskSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        require_role(request.user, TASK_ACTIONS["view"])
        return super().get(request, *args, **kwargs)


class TaskDetailView(APIView):
    @extend_schema(tags=TAGS, summary="抽检任务详情（含检测报告）", responses={200: SamplingTaskSerializer, **ERRORS})
    def get(self, request, id):
        return Response(SamplingTaskSerializer(selectors.task(request.user, id)).data)


class ReportView(APIView):
    @extend_schema(tags=TAGS, summary="检测机构提交检测报告", request=SamplingReportInSerializer,
                   description="results 为各指标的 {indicator, value, unit}，须覆盖该产品类别限量标准中的全部指标。"
                               "结论按限量标准计算；不合格时自动作出整改决定并通知省级工作机构。"
                               "400：未知指标、缺少单位或单位不符、检测值为负或非数字、缺少指标，此时不写入任何内容；"
                               "404：任务未委托给本机构；409：已提交过报告。",
                   responses={201: SamplingTaskSerializer, **ERRORS})
    def post(self, request, id):
        require_role(request.user, TASK_ACTIONS["report"])
        body = SamplingReportInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.report_submit(actor=request.user, task=id, results=[dict(r) for r in data["results"]],
                               report_number=data["report_number"], sampled_on=data["sampled_on"], note=data["note"])
        return Response(SamplingTaskSerializer(selectors.task(request.user, id)).data, status=status.HTTP_201_CREATED)


class AssignView(APIView):
    @extend_schema(tags=TAGS, summary="指定或更换检测机构（国家级）", request=SamplingAssignInSerializer,
                   description="检测机构须在当日具有该认证类型、覆盖全部检测项目的有效定点资格。",
                   responses={200: SamplingTaskSerializer, **ERRORS})
    def post(self, request, id):
        task = selectors.task(request.user, id, "assign")
        body = SamplingAssignInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lab = Entity.objects.filter(pk=body.validated_data["lab"], kind=EntityKind.LAB).first()
        services.task_assign_lab(actor=request.user, task=task, lab=lab)
        return Response(SamplingTaskSerializer(selectors.task(request.user, id)).data)


class StandardListView(generics.ListAPIView):
    serializer_class = SamplingStandardSerializer
    queryset = Standard.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        return selectors.standards(scheme=params.get("scheme", ""), category=params.get("category", ""))

    @extend_schema(tags=TAGS, summary="抽检限量标准表",
                   parameters=[OpenApiParameter("scheme", OpenApiTypes.STR),
                               OpenApiParameter("category", OpenApiTypes.STR)],
                   responses={200: SamplingStandardSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        require_role(request.user, PLAN_ROLES | TASK_ACTIONS["view"])
        return super().get(request, *args, **kwargs)


def _row(r) -> dict:
    return {"region": {"code": r.region.code, "name": r.region.name} if r.region else None, "tested": r.tested,
            "passed": r.passed, "failed": r.failed, "percent": r.percent, "below_target": r.below_target}


class PassRatesView(APIView):
    @extend_schema(
        tags=["stats"], summary="抽检合格率（按下级区划，目标 ≥98%）",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="计划年度；默认今年"),
                    OpenApiParameter("region", OpenApiTypes.STR, description="区划代码；默认本机构区划"),
                    OpenApiParameter("scheme", OpenApiTypes.STR)],
        responses={200: SamplingPassRatesSerializer, **ERRORS},
    )
    def get(self, request):
        require_role(request.user, PLAN_ROLES)
        raw_year = request.query_params.get("year") or str(clock.today().year)
        if not raw_year.isdigit() or not 2000 <= int(raw_year) <= 2100:
            raise ValidationFailed(fields={"year": _("年度须为 2000 至 2100 之间的整数")})
        year = int(raw_year)
        region = selectors.region_in_scope(request.user, request.query_params.get("region", ""))
        rows, total = selectors.pass_rates(year=year, region=region, scheme=request.query_params.get("scheme", ""))
        return Response(SamplingPassRatesSerializer({
            "year": year, "target": PASS_RATE_TARGET, "rows": [_row(r) for r in rows], "total": _row(total)}).data)
