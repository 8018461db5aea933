"""Allowed-input lists under /api/v1/: the public search (no sign-in, throttled) and, for staff, the
lists in scope, one list with its inputs and limits, and the Excel import into a draft.
Thin: parse → access → service/selector → serialize."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.pagination import StandardPagination
from sanpin.api.schema import ErrorBodySerializer
from sanpin.api.throttling import ScopedWindowThrottle
from sanpin.core import clock
from sanpin.core.access import access_by_id, can
from sanpin.core.errors import PermissionDenied, ValidationFailed

from .. import selectors, services
from ..forms import SearchForm
from ..models import AllowedInputList
from .serializers import (
    AllowedInputListDetailSerializer,
    AllowedInputListRefSerializer,
    AllowedInputsImportInSerializer,
    AllowedInputsImportOutcomeSerializer,
    PublicAllowedInputSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404)}


def list_ref(lst) -> dict:
    return {"id": lst.pk, "title": lst.title, "kind": lst.kind, "region": lst.issuer_region_id,
            "issuer_name": lst.issuer_name, "source_document": lst.source_document,
            "effective_from": lst.effective_from, "effective_until": lst.effective_until, "status": lst.status}


def _limit(limit) -> dict:
    return {"crop": limit.crop, "crop_category": limit.crop_category, "max_value": limit.max_value,
            "unit": limit.unit, "source_standard": limit.source_standard, "effective_from": limit.effective_from,
            "effective_until": limit.effective_until, "is_demo": limit.is_demo}


class PublicAllowedInputsView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"

    @extend_schema(
        tags=["public"], summary="绿色食品可用投入品公开查询",
        description="某日施行的可用投入品清单中的投入品及其当日适用的残留限量和来源。指定 region 时只看该省适用的清单"
                    "（本省清单，无则全国清单）。",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="通用名或有效成分"),
            OpenApiParameter("crop", OpenApiTypes.STR, description="作物名称，或绿色食品产品类别代码（如 01）"),
            OpenApiParameter("kind", OpenApiTypes.STR,
                             description="pesticide / fertilizer / veterinary_drug / feed / food_additive"),
            OpenApiParameter("category", OpenApiTypes.STR, description="农药类别，如 insecticide、fungicide"),
            OpenApiParameter("region", OpenApiTypes.STR, description="省级区划代码，如 450000"),
            OpenApiParameter("on", OpenApiTypes.DATE, description="日期 YYYY-MM-DD，默认今天"),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses={200: PublicAllowedInputSerializer(many=True), 400: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationFailed(fields={k: [str(m) for m in v] for k, v in form.errors.items()})
        data = form.cleaned_data
        on = data.pop("on") or clock.today()
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.public_search(**data, on=on), request, view=self)
        rows = [{"common_name": i.common_name, "active_ingredient": i.active_ingredient, "kind": i.list.kind,
                 "category": i.category, "category_label": i.get_category_display() if i.category else "",
                 "restrictions": i.restrictions, "limits": [_limit(x) for x in i.applicable_limits],
                 "list": list_ref(i.list)} for i in page]
        return paginator.get_paginated_response(PublicAllowedInputSerializer(rows, many=True).data)


class AllowedInputListsView(APIView):
    @extend_schema(tags=["inputs"], summary="可用投入品清单（本人可见范围）",
                   parameters=[OpenApiParameter("kind", OpenApiTypes.STR), OpenApiParameter("page", OpenApiTypes.INT)],
                   responses={200: AllowedInputListRefSerializer(many=True), **ERRORS})
    def get(self, request):
        if not can(request.user, "view", AllowedInputList):
            raise PermissionDenied()
        rows = AllowedInputList.objects.restrict(request.user, "view").order_by("kind", "-effective_from", "-pk")
        if request.query_params.get("kind"):
            rows = rows.filter(kind=request.query_params["kind"])
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        rows = [list_ref(x) for x in page]
        return paginator.get_paginated_response(AllowedInputListRefSerializer(rows, many=True).data)


class AllowedInputListDetailView(APIView):
    @extend_schema(tags=["inputs"], summary="一个清单版本及其投入品和残留限量",
                   responses={200: AllowedInputListDetailSerializer, **ERRORS})
    def get(self, request, pk):
        lst = access_by_id(AllowedInputList, request.user, pk, "view")
        body = {**list_ref(lst), "previous": lst.previous_id, "inputs": [
            {"id": i.pk, "common_name": i.common_name, "active_ingredient": i.active_ingredient,
             "category": i.category, "restrictions": i.restrictions, "limits": [_limit(x) for x in i.limits.all()]}
            for i in lst.inputs.prefetch_related("limits")]}
        return Response(AllowedInputListDetailSerializer(body).data)


class AllowedInputListImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(tags=["inputs"], summary="从 Excel 模板导入投入品和残留限量（草稿清单）",
                   description="`?dry_run=1` 只校验；有任何错误行时不写入任何数据：仅校验时在 problems 中列出，"
                               "导入时返回 400，fields.rows 列出每一个错误行。",
                   parameters=[OpenApiParameter("dry_run", OpenApiTypes.BOOL)],
                   request={"multipart/form-data": AllowedInputsImportInSerializer},
                   responses={200: AllowedInputsImportOutcomeSerializer, **ERRORS, 409: ErrorBodySerializer})
    def post(self, request, pk):
        lst = access_by_id(AllowedInputList, request.user, pk, "manage")
        body = AllowedInputsImportInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dry_run = request.query_params.get("dry_run", "") in ("1", "true", "yes")
        outcome = services.list_import(actor=request.user, lst=lst, data=body.validated_data["file"].read(),
                                       dry_run=dry_run)
        return Response(AllowedInputsImportOutcomeSerializer({
            "dry_run": outcome.dry_run, "written": outcome.written, "rows": outcome.rows,
            "new_inputs": outcome.new_inputs, "limits": outcome.limit_count, "problems": outcome.problems}).data)
