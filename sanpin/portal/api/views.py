"""Public search under /api/v1/public/: no sign-in, throttled like the other public endpoints."""

from dataclasses import asdict

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from sanpin.api.pagination import StandardPagination
from sanpin.api.schema import ErrorBodySerializer
from sanpin.core import clock
from sanpin.core.errors import ValidationFailed

from ..search import SearchForm, public_row, search
from .serializers import PublicSearchRowSerializer


class PublicSearchView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
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
