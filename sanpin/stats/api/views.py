"""Statistics API: figures per child region of the region asked for (or of the caller's own)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.accounts.api.serializers import RegionRefSerializer
from sanpin.accounts.choices import REVIEW_STAFF_ROLES, AgencyLevel, Role
from sanpin.api.schema import ErrorBodySerializer
from sanpin.catalog.models import Region
from sanpin.core.access import require_role
from sanpin.core.errors import NotFound, ValidationFailed

from ..review_quality import first_pass_rates, renewal_rates
from ..timeliness import step_timeliness

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


class TimelinessAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StepTimelinessSerializer(serializers.Serializer):
    agency_level = serializers.ChoiceField(choices=AgencyLevel.choices, help_text="负责环节的工作机构层级")
    region = RegionRefSerializer(allow_null=True, help_text="机构所在区划；国家级为 null")
    agency = TimelinessAgencySerializer(allow_null=True, help_text="负责机构；该区划未登记该层级机构时为 null")
    finished = serializers.IntegerField(help_text="当年办结的有时限环节数")
    on_time = serializers.IntegerField(help_text="其中在截止日（含）前办结的环节数")
    late = serializers.IntegerField(help_text="其中超过截止日办结的环节数")
    open_overdue = serializers.IntegerField(help_text="至今未办结且已超期（当年或以前到期，不含暂停计时）的环节数")
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True,
                                       help_text="按时办结率：按时办结 ÷（办结 + 超期未办结）")


class StepTimelinessView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="办结年份；默认今年"),
                    OpenApiParameter("region", str, description="区划代码；默认本机构区划")],
        responses={200: StepTimelinessSerializer(many=True), **{c: OpenApiResponse(ErrorBodySerializer)
                                                                for c in (400, 401, 403, 404)}},
        summary="审核时效（按负责机构）：有时限审核环节的按时办结、超期办结和超期未办结数",
    )
    def get(self, request):
        require_role(request.user, STATS_ROLES)
        year = _year(request)
        region = region_in_scope(request.user, request.query_params.get("region", ""))
        rows = step_timeliness(year=year, region=region)
        return Response(StepTimelinessSerializer([timeliness_row(r) for r in rows], many=True).data)


def timeliness_row(r) -> dict:
    return {
        "agency_level": r.level,
        "region": {"code": r.region.code, "name": r.region.name} if r.region else None,
        "agency": {"id": r.agency.pk, "name": r.agency.name} if r.agency else None,
        "finished": r.finished, "on_time": r.on_time, "late": r.late, "open_overdue": r.open_overdue,
        "percent": r.percent,
    }


def _year(request) -> int:
    raw_year = request.query_params.get("year") or str(timezone.localdate().year)
    if not raw_year.isdigit() or not 2000 <= int(raw_year) <= 2100:
        raise ValidationFailed(fields={"year": "年份应为 2000–2100 的整数"})
    return int(raw_year)


def _rate(rate):
    return {"decided": rate.decided, "passed_once": rate.passed_once, "percent": rate.percent,
            "threshold": rate.threshold, "flagged": rate.flagged}
