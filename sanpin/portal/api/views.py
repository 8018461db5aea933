"""Public search under /api/v1/public/: no sign-in, throttled like the other public endpoints."""

from dataclasses import asdict

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.pagination import StandardPagination
from sanpin.api.schema import ErrorBodySerializer
from sanpin.api.throttling import ScopedWindowThrottle
from sanpin.bases import selectors as bases
from sanpin.core import clock
from sanpin.core.errors import NotFound, ValidationFailed

from ..directory import DirectorySearchForm, public_base, search_bases
from ..search import SearchForm, public_row, search
from .serializers import PublicBaseDetailSerializer, PublicBaseSerializer, PublicSearchRowSerializer


class PublicSearchView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"

    @extend_schema(
        tags=["public"], summary="获证产品与主体公开查询",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="产品名称、主体名称、编号或企业统一社会信用代码"),
            OpenApiParameter("scheme", OpenApiTypes.STR,
                             description="green_inputs / green_food / organic / gi / featured"),
            OpenApiParameter("status", OpenApiTypes.STR, description="按今天计算的状态，如 valid、expired、revoked"),
            OpenApiParameter("region", OpenApiTypes.STR, description="省级或地级区划代码，如 450000、450100"),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses={200: PublicSearchRowSerializer(many=True), 400: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationFailed(fields={k: [str(m) for m in v] for k, v in form.errors.items()})
        today = clock.today()
        paginator = StandardPagination()
        page = paginator.paginate_queryset(search(**form.cleaned_data, today=today), request, view=self)
        rows = [{**asdict(public_row(c, today)), "verify_url": request.build_absolute_uri(
            reverse("verify-scan", args=[c.number]))} for c in page]
        return paginator.get_paginated_response(PublicSearchRowSerializer(rows, many=True).data)


class _Public(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"


class PublicBaseListView(_Public):
    @extend_schema(
        tags=["public"], summary="优质农产品生产基地目录公开查询",
        description="只列出已纳入目录的基地；按标建设中和已移出目录的基地不公开。",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="基地名称、产品、品种、运营主体名称或目录编号"),
            OpenApiParameter("base_type", OpenApiTypes.STR, description="GF / OR / GI / GQ / IP / FC"),
            OpenApiParameter("level", OpenApiTypes.STR, description="national / provincial / district"),
            OpenApiParameter("region", OpenApiTypes.STR, description="省级或地级区划代码，如 450000、450100"),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses={200: PublicBaseSerializer(many=True), 400: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request):
        form = DirectorySearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationFailed(fields={k: [str(m) for m in v] for k, v in form.errors.items()})
        paginator = StandardPagination()
        page = paginator.paginate_queryset(search_bases(**form.cleaned_data), request, view=self)
        rows = [asdict(public_base(b)) for b in page]
        return paginator.get_paginated_response(PublicBaseSerializer(rows, many=True).data)


class PublicBaseDetailView(_Public):
    @extend_schema(
        tags=["public"], summary="生产基地目录详情（按目录编号）",
        description="目录内基地的公开信息、标识牌内容和今天有效的关联证书编号；不在目录内答 404。",
        responses={200: PublicBaseDetailSerializer, 404: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request, directory_number):
        base = bases.listed_base(directory_number)
        if base is None:
            raise NotFound(_("目录中没有该编号的基地"))
        return Response(PublicBaseDetailSerializer(asdict(public_base(base, links=True))).data)
