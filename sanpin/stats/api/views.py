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
from sanpin.core import replica
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
    @replica.reads_view
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
    @replica.reads_view
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
    @replica.reads_view
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


# --- indicators (dashboards) ---------------------------------------------------------------------


class GradeCountsSerializer(serializers.Serializer):
    A = serializers.IntegerField()
    B = serializers.IntegerField()
    C = serializers.IntegerField()
    D = serializers.IntegerField()


class IndicatorRowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="区划代码；合计行为所查区划（全国为空）")
    name = serializers.CharField()
    map_name = serializers.CharField(help_text="地图上的名称（省份用简称）")
    valid = serializers.IntegerField(help_text="期末（或今天）有效的产品数")
    new = serializers.IntegerField(help_text="期内新获证（无前续证书）数")
    renewed = serializers.IntegerField(help_text="期内续展获证数")
    expiring = serializers.IntegerField(help_text="期内到期（未停止、未取消）数")
    renewed_in_time = serializers.IntegerField(help_text="其中到期前已续展、有效期不中断的数")
    renewal_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    first_decided = serializers.IntegerField()
    first_passed = serializers.IntegerField()
    first_pass_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    renewal_decided = serializers.IntegerField()
    renewal_passed = serializers.IntegerField()
    renewal_pass_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    inspection_due = serializers.IntegerField(help_text="年检计划内主体数")
    inspected = serializers.IntegerField()
    inspection_coverage = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    sampled = serializers.IntegerField(help_text="已出检测报告的抽检数")
    sampled_passed = serializers.IntegerField()
    sampling_pass_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    bases_listed = serializers.IntegerField(help_text="目录内生产基地数")
    base_share = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True,
                                          help_text="基地生产规模占比（%）；未定义时为 null")
    waivers = serializers.IntegerField(help_text="期内获减免收费的申请数")
    waived_amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="减免金额（元）")
    issuing_covered = serializers.IntegerField(help_text="应开具合格证的主体数")
    issuing = serializers.IntegerField()
    issuing_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    grades = GradeCountsSerializer(help_text="信用等级分布")
    by_scheme = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()),
                                      help_text="认证类型 → {valid, new, renewed}")


class TrendSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    new = serializers.IntegerField()
    renewed = serializers.IntegerField()


class PeriodSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month_from = serializers.IntegerField()
    month_to = serializers.IntegerField()
    label = serializers.CharField()


class IndicatorsSerializer(serializers.Serializer):
    region = serializers.DictField(help_text="{code, name}；全国 code 为空")
    scheme = serializers.CharField()
    period = PeriodSerializer()
    rows = IndicatorRowSerializer(many=True, help_text="每个下级区划一行")
    total = IndicatorRowSerializer()
    timeliness = StepTimelinessSerializer(many=True, help_text="环节时效（按负责机构）")
    trend = TrendSerializer(many=True, help_text="逐月新获证与续展")
    computed_at = serializers.CharField()
    frozen_month = serializers.CharField(help_text="读自冻结快照时为 YYYY-MM，否则为空")


class IndicatorsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("region", str, description="区划代码；默认本机构区划，全国级机构默认全国"),
                    OpenApiParameter("scheme", str, description="认证类型：all（默认）、green_food、organic、gi、"
                                                                "featured、green_inputs"),
                    OpenApiParameter("year", int, description="年份；默认今年"),
                    OpenApiParameter("month_from", int, description="起始月份（1–12），默认 1"),
                    OpenApiParameter("month_to", int, description="结束月份（1–12），默认 12"),
                    OpenApiParameter("snapshot", str, description="YYYY-MM：读取该月冻结的快照（忽略认证类型和期间）")],
        responses={200: IndicatorsSerializer, **{c: OpenApiResponse(ErrorBodySerializer)
                                                 for c in (400, 401, 403, 404)}},
        summary="统计指标（按下级区划，含合计、逐月趋势和环节时效）",
    )
    @replica.reads_view
    def get(self, request):
        from ..dashboards import load

        require_role(request.user, STATS_ROLES)
        _region, indicators = load(request)
        return Response(IndicatorsSerializer(indicators.as_dict()).data)


# --- targets and progress ------------------------------------------------------------------------


class TargetRowSerializer(serializers.Serializer):
    region = serializers.DictField(help_text="{code, name}；合计行为所查区划（全国为 null）", allow_null=True)
    target = serializers.IntegerField(allow_null=True, help_text="计划数；未定目标时为 null")
    valid = serializers.IntegerField(help_text="统计日有效期内的产品数；“十百千万”指标为统计日开设中的专区、专柜数或"
                                               "已培训且未离岗的推广专员数")
    percent = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True, help_text="完成率（%）")
    gap = serializers.IntegerField(allow_null=True, help_text="距目标还差的个数（已完成为 0）")
    source = serializers.CharField(help_text="目标依据（文件名称或文号）")


class TargetProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    measure = serializers.CharField()
    measure_label = serializers.CharField()
    count_label = serializers.CharField(help_text="完成数的含义，如“有效产品数”“开设中的市场专区数”")
    region = serializers.DictField(allow_null=True, help_text="所查区划 {code, name}；全国为 null")
    counted_on = serializers.DateField(help_text="统计日：当年 12 月 31 日，年度未结束时为今天")
    region_target = serializers.IntegerField(allow_null=True, help_text="上级为本区划定的目标；没有时为 null")
    rows = TargetRowSerializer(many=True, help_text="每个下级区划一行（有目标无证书、有证书无目标的都列出）")
    total = TargetRowSerializer()


def _target_row(row) -> dict:
    return {"region": {"code": row.region.code, "name": row.region.name} if row.region else None,
            "target": row.target, "valid": row.valid, "percent": row.percent, "gap": row.gap, "source": row.source}


def target_progress_body(result) -> dict:
    return {
        "year": result.year, "measure": result.measure, "measure_label": result.measure_label,
        "count_label": result.count_label,
        "region": {"code": result.region.code, "name": result.region.name} if result.region else None,
        "counted_on": result.on, "region_target": result.region_target.value if result.region_target else None,
        "rows": [_target_row(row) for row in result.rows], "total": _target_row(result.total),
    }


MEASURE_HELP = ("指标：green_organic（默认，绿色食品、有机农产品合计）、green_food、organic、gi、featured；"
                "“十百千万”工程：market_zone（市场专区）、store_counter（商超专柜）、specialist（推广专员）")


class TargetsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="年度；默认今年"),
                    OpenApiParameter("region", str, description="区划代码；默认本机构区划，全国级机构默认全国"),
                    OpenApiParameter("measure", str, description=MEASURE_HELP)],
        responses={200: TargetProgressSerializer, **{c: OpenApiResponse(ErrorBodySerializer)
                                                     for c in (400, 401, 403, 404)}},
        summary="发展目标进度（按下级区划）：计划数、12 月 31 日（或今天）有效产品数、完成率和差额",
    )
    @replica.reads_view
    def get(self, request):
        from ..models import TargetMeasure
        from ..targets import progress

        require_role(request.user, STATS_ROLES)
        year = _year(request)
        measure = request.query_params.get("measure") or TargetMeasure.GREEN_ORGANIC
        if measure not in TargetMeasure.values:
            raise ValidationFailed(fields={"measure": "指标应为：" + "、".join(TargetMeasure.values)})
        region = region_in_scope(request.user, request.query_params.get("region", "").strip())
        result = progress(year=year, region=region, measure=measure)
        return Response(TargetProgressSerializer(target_progress_body(result)).data)
