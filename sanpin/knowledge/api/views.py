"""The knowledge API: public lists of standards and published procedures; staff deliveries and
coverage. Thin: parse → access → service/selector → serialize."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.pagination import StandardPagination
from sanpin.api.schema import ErrorBodySerializer
from sanpin.api.throttling import ScopedWindowThrottle
from sanpin.catalog.models import Region
from sanpin.core.access import access_by_id, require_role
from sanpin.core.errors import ValidationFailed

from .. import selectors, services
from ..choices import ProcedureKind, ProductField, StandardKind, StandardStatus
from ..models import Distribution, Procedure, Standard
from ..views_staff import COVERAGE_ROLES, coverage_request
from .serializers import (
    KnowledgeCoverageSerializer,
    KnowledgeDistributionInputSerializer,
    KnowledgeDistributionSerializer,
    PublicProcedureSerializer,
    PublicStandardSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404)}


def _choice(params, name: str, values) -> str:
    value = (params.get(name) or "").strip()
    if value and value not in values:
        raise ValidationFailed(fields={name: _("可选值：%s") % "、".join(values)})
    return value


class _Public(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"


class PublicStandardListView(_Public):
    @extend_schema(
        tags=["public"], summary="标准库公开查询",
        description="库中全部标准及其今天的状态（即将实施、现行、废止）；全文公开的给出下载地址。",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="编号、名称或摘要中的关键词"),
                    OpenApiParameter("kind", OpenApiTypes.STR, enum=StandardKind.values),
                    OpenApiParameter("status", OpenApiTypes.STR, enum=StandardStatus.values),
                    OpenApiParameter("product_field", OpenApiTypes.STR, enum=ProductField.values),
                    OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: PublicStandardSerializer(many=True), 400: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request):
        params = request.query_params
        rows = selectors.public_standards(
            q=params.get("q", ""), kind=_choice(params, "kind", StandardKind.values),
            status=_choice(params, "status", StandardStatus.values),
            product_field=_choice(params, "product_field", ProductField.values))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            PublicStandardSerializer(page, many=True, context={"request": request}).data)


class PublicProcedureListView(_Public):
    @extend_schema(
        tags=["public"], summary="生产操作规程与明白纸公开查询",
        description="只列出已发布的规程、明白纸、操作卡、挂图、农事操作历和科普手册；草稿和已停用的不公开。"
        "`region` 给出某地适用的文件：为该区域、其上级或下级区域制定的。",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR),
                    OpenApiParameter("kind", OpenApiTypes.STR, enum=ProcedureKind.values),
                    OpenApiParameter("product", OpenApiTypes.STR),
                    OpenApiParameter("product_field", OpenApiTypes.STR, enum=ProductField.values),
                    OpenApiParameter("region", OpenApiTypes.STR, description="区划代码，如 450000、450110"),
                    OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: PublicProcedureSerializer(many=True), 400: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request):
        params = request.query_params
        region = None
        code = (params.get("region") or "").strip()
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise ValidationFailed(fields={"region": _("区划代码不存在")})
        rows = selectors.public_procedures(
            q=params.get("q", ""), kind=_choice(params, "kind", ProcedureKind.values),
            product=params.get("product", ""),
            product_field=_choice(params, "product_field", ProductField.values), region=region,
        ).prefetch_related("standards")
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            PublicProcedureSerializer(page, many=True, context={"request": request}).data)


class DistributionView(APIView):
    @extend_schema(
        tags=["knowledge"], summary="发放记录（本辖区）",
        description="工作人员看本辖区的发放记录；主体用户看本单位及所属基地收到的。",
        parameters=[OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: KnowledgeDistributionSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        require_role(request.user, Distribution.scope.actions["view"])
        rows = (Distribution.objects.restrict(request.user, "view")
                .select_related("standard", "procedure", "entity", "base"))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(KnowledgeDistributionSerializer(page, many=True).data)

    @extend_schema(
        tags=["knowledge"], summary="登记发放（一次多个接收方）",
        description="同一份标准或已发布的规程发放给辖区内的多个主体或基地。全部或全不：任一接收方有误"
        "（不存在、不在辖区、重复、当天已发放过），不写入任何记录，`fields.recipients` 逐行列出原因。",
        request=KnowledgeDistributionInputSerializer,
        responses={201: KnowledgeDistributionSerializer(many=True), **ERRORS},
    )
    def post(self, request):
        require_role(request.user, Distribution.scope.actions["record"])
        body = KnowledgeDistributionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        number = (data.pop("standard", "") or "").strip()
        procedure_id = data.pop("procedure", None)
        standard = procedure = None
        if number:
            standard = Standard.objects.filter(number=number).first()
            if standard is None:
                raise ValidationFailed(fields={"standard": _("标准库中没有 %s") % number})
        if procedure_id is not None:
            procedure = Procedure.objects.filter(pk=procedure_id).first()
            if procedure is None:
                raise ValidationFailed(fields={"procedure": _("没有该规程/明白纸")})
        rows = services.distribution_record(actor=request.user, standard=standard, procedure=procedure, **data)
        return Response(KnowledgeDistributionSerializer(rows, many=True).data, status=201)


class DistributionDetailView(APIView):
    @extend_schema(
        tags=["knowledge"], summary="一条发放记录",
        description="本辖区工作人员或接收单位的用户；其他地区的记录答 404。",
        responses={200: KnowledgeDistributionSerializer, **ERRORS},
    )
    def get(self, request, pk):
        row = access_by_id(Distribution.objects.select_related("standard", "procedure", "entity", "base"),
                           request.user, pk, "view")
        return Response(KnowledgeDistributionSerializer(row).data)


class CoverageView(APIView):
    @extend_schema(
        tags=["knowledge"], summary="标准规程进企入户覆盖（按下级区划）",
        description="区域内获证主体和生产基地中，期间内收到至少一份标准规程、参加培训的数量和比例。"
        "默认本机构区划和今年 1 月 1 日至今天；区划须在本辖区内（否则 404）。",
        parameters=[OpenApiParameter("region", OpenApiTypes.STR, description="区划代码；默认本机构区划"),
                    OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)],
        responses={200: KnowledgeCoverageSerializer, **ERRORS},
    )
    def get(self, request):
        require_role(request.user, COVERAGE_ROLES)
        result, form = coverage_request(request, request.query_params)
        if form.errors:
            raise ValidationFailed(fields={{"start": "from", "end": "to"}.get(k, k): [str(m) for m in v]
                                           for k, v in form.errors.items()})

        def region(r):
            return {"code": r.code, "name": r.name, "level": r.level} if r else None

        def row(r):
            return {"region": region(r.region) or {}, "entities": r.entities, "bases": r.bases}

        return Response(KnowledgeCoverageSerializer({
            "region": region(result.region), "from_": result.start, "to": result.end, "on": result.on,
            "rows": [row(r) for r in result.rows], "total": row(result.total)}).data)


