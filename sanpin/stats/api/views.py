"""Statistics API: figures per child region of the region asked for (or of the caller's own)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.api.schema import ErrorBodySerializer
from sanpin.catalog.models import Region
from sanpin.core.access import require_role
from sanpin.core.errors import NotFound, ValidationFailed

from ..review_quality import first_pass_rates, renewal_rates

STATS_ROLES = REVIEW_STAFF_ROLES | {Role.INSPECTOR}


def region_in_scope(user, code: str) -> Region | None:
    """The region asked for, which must lie inside the caller's own; None = the whole country."""
    own = user.agency.region if user.agency_id and user.agency.region_id else None
    if not code:
        return own
    region = Region.objects.filter(code=code).first()
    if region is None or (own is not None and not region.code.startswith(own.scope_prefix)):
        raise NotFound()
    return region


class RateSerializer(serializers.Serializer):
    decided = serializers.IntegerField(help_text="当年审结（颁证或未通过）的申请数")
    passed_once = serializers.IntegerField(help_text="一次性通过（未补正、未整改、未暂停）数")
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    threshold = serializers.DecimalField(max_digits=5, decimal_places=1)
    flagged = serializers.BooleanField(help_text="低于阈值（首次 40%、续展 60%）")


class RegionRatesSerializer(serializers.Serializer):
    region = serializers.DictField()
    first = RateSerializer()
    renewal = RateSerializer()


class FirstPassRatesView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("year", int),
                    OpenApiParameter("region", str, description="区划代码；默认本机构区划"),
                    OpenApiParameter("scheme", str)],
        responses={200: RegionRatesSerializer(many=True), **{c: OpenApiResponse(ErrorBodySerializer)
                                                              for c in (400, 401, 403, 404)}},
        summary="首次申请和续展一次性审查通过率（按下级区划）",
    )
    def get(self, request):
        require_role(request.user, STATS_ROLES)
        year = _year(request)
        region = region_in_scope(request.user, request.query_params.get("region", ""))
        rows = first_pass_rates(year=year, region=region, scheme=request.query_params.get("scheme", ""))
        return Response(RegionRatesSerializer([
            {"region": {"code": r.region.code, "name": r.region.name},
             "first": _rate(r.first), "renewal": _rate(r.renewal)}
            for r in rows
        ], many=True).data)


class RenewalRateSerializer(serializers.Serializer):
    region = serializers.DictField()
    due = serializers.IntegerField(help_text="当年到期（未停止、未取消）的证书数")
    renewed_in_time = serializers.IntegerField(help_text="到期前已续展、有效期不中断的证书数")
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class RenewalRatesView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("year", int),
                    OpenApiParameter("region", str, description="区划代码；默认本机构区划"),
                    OpenApiParameter("scheme", str)],
        responses={200: RenewalRateSerializer(many=True), **{c: OpenApiResponse(ErrorBodySerializer)
                                                             for c in (400, 401, 403, 404)}},
        summary="续展率（按下级区划）：当年到期证书中按时续展的比例",
    )
    def get(self, request):
        require_role(request.user, STATS_ROLES)
        year = _year(request)
        region = region_in_scope(request.user, request.query_params.get("region", ""))
        rows = renewal_rates(year=year, region=region, scheme=request.query_params.get("scheme", ""))
        return Response(RenewalRateSerializer([
            {"region": {"code": r.region.code, "name": r.region.name}, "due": r.due,
             "renewed_in_time": r.renewed_in_time, "percent": r.percent}
            for r in rows
        ], many=True).data)


def _year(request) -> int:
    raw_year = request.query_params.get("year") or str(timezone.localdate().year)
    if not raw_year.isdigit() or not 2000 <= int(raw_year) <= 2100:
        raise ValidationFailed(fields={"year": "年份应为 2000–2100 的整数"})
    return int(raw_year)


def _rate(rate):
    return {"decided": rate.decided, "passed_once": rate.passed_once, "percent": rate.percent,
            "threshold": rate.threshold, "flagged": rate.flagged}
