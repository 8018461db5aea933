"""Public credit information under /api/v1/public/credit/: the A list and the decided revocations,
the same public facts as the 信用信息公示 page. No sign-in; throttled like the other public
endpoints."""

from dataclasses import asdict

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from sanpin.api.pagination import StandardPagination
from sanpin.api.schema import ErrorBodySerializer
from sanpin.core import clock
from sanpin.core.errors import ValidationFailed

from .. import credit
from .views import _Public


class PublicHolderSerializer(serializers.Serializer):
    name = serializers.CharField()
    uscc = serializers.CharField(help_text="企业的统一社会信用代码；个体工商户为空")
    region = serializers.CharField()
    schemes = serializers.ListField(child=serializers.CharField(), help_text="今天持有有效证书的认证类型")
    graded_on = serializers.DateField(help_text="评价日期")


class PublicRevocationSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    holder_name = serializers.CharField()
    holder_uscc = serializers.CharField(help_text="企业的统一社会信用代码；个体工商户为空")
    region = serializers.CharField()
    product_name = serializers.CharField()
    certificate_number = serializers.CharField()
    scheme = serializers.CharField()
    reason = serializers.CharField(help_text="取消原因（公布的原因类别）")


FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="主体名称、统一社会信用代码、产品或证书编号"),
    OpenApiParameter("region", OpenApiTypes.STR, description="省级或地级区划代码，如 450000、450100"),
    OpenApiParameter("page", OpenApiTypes.INT),
]


def _filters(request) -> dict:
    form = credit.CreditSearchForm(request.query_params)
    if not form.is_valid():
        raise ValidationFailed(fields={k: [str(m) for m in v] for k, v in form.errors.items()})
    return form.cleaned_data


class PublicCreditListView(_Public):
    @extend_schema(
        tags=["public"], summary="守信主体名单（信用等级 A 级且持有有效证书）",
        parameters=FILTERS,
        responses={200: PublicHolderSerializer(many=True), 400: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request):
        today = clock.today()
        paginator = StandardPagination()
        page = paginator.paginate_queryset(credit.a_list(**_filters(request), today=today), request, view=self)
        rows = [asdict(h) for h in credit.public_holders(page, today)]
        return paginator.get_paginated_response(PublicHolderSerializer(rows, many=True).data)


class PublicRevocationListView(_Public):
    @extend_schema(
        tags=["public"], summary="取消标志使用权公示（已作出决定的）",
        parameters=FILTERS,
        responses={200: PublicRevocationSerializer(many=True), 400: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(credit.revocations(**_filters(request)), request, view=self)
        rows = [asdict(credit.public_revocation(r)) for r in page]
        return paginator.get_paginated_response(PublicRevocationSerializer(rows, many=True).data)
