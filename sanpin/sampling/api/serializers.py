"""Input and output shapes of the sampling API."""

from rest_framework import serializers

from ..models import Quota, SamplingPlan, SamplingTask, Standard

SCHEMES = "green_inputs（绿色生资）/ green_food（绿色食品）/ organic（有机农产品）"


class SamplingStandardSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(help_text=SCHEMES)
    class Meta:
        model = Standard
        fields = ["id", "scheme", "category", "indicator", "test", "limit_min", "limit_max", "unit",
                  "source_standard", "is_demo"]


class SamplingQuotaSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")

    class Meta:
        model = Quota
        fields = ["region", "region_name", "count"]


class SamplingDrawSerializer(serializers.Serializer):
    seed = serializers.CharField(help_text="随机种子（字符串，避免 JavaScript 丢失精度）")
    drawn_on = serializers.DateField()
    drawn_by = serializers.CharField()
    weights_sha256 = serializers.CharField(help_text="候选及权重表的 SHA-256")
    candidates = serializers.DictField(child=serializers.IntegerField(), help_text="各省候选产品数")
    selected = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()),
                                     help_text="各省抽中的证书 id，按抽取顺序")
    replay_matches = serializers.BooleanField(help_text="按种子和权重重新计算的结果与记录一致")


class SamplingPlanSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(help_text=SCHEMES)
    status = serializers.CharField(help_text="draft（编制中）/ drawn（已抽取）")
    quotas = SamplingQuotaSerializer(many=True)
    total_quota = serializers.IntegerField()
    draw = serializers.SerializerMethodField()

    class Meta:
        model = SamplingPlan
        fields = ["id", "number", "year", "scheme", "title", "status", "quotas", "total_quota", "draw"]

    def get_draw(self, obj) -> SamplingDrawSerializer(allow_null=True):
        from ..services import draw_replay

        draw = getattr(obj, "draw", None) if obj.status == "drawn" else None
        if draw is None:
            return None
        return SamplingDrawSerializer({
            "seed": str(draw.seed), "drawn_on": draw.drawn_on, "drawn_by": str(draw.drawn_by),
            "weights_sha256": draw.weights_sha256,
            "candidates": {code: len(rows) for code, rows in draw.candidates.items()},
            "selected": draw.selected, "replay_matches": draw_replay(draw) == draw.selected,
        }).data


class SamplingPlanInSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    scheme = serializers.CharField(max_length=20, help_text=SCHEMES)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class SamplingQuotaInSerializer(serializers.Serializer):
    region = serializers.CharField(max_length=6, help_text="省级区划代码，如 450000")
    count = serializers.IntegerField(min_value=0, max_value=100000, help_text="0 表示删除该省")


class SamplingDrawInSerializer(serializers.Serializer):
    seed = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**63 - 1,
                                    help_text="留空由系统生成")


class SamplingResultOutSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=6)
    unit = serializers.CharField()
    limit_min = serializers.DecimalField(max_digits=14, decimal_places=6, allow_null=True)
    limit_max = serializers.DecimalField(max_digits=14, decimal_places=6)
    limit_basis = serializers.CharField(help_text="standards_table（抽检限量标准）/ "
                                                  "allowed_inputs（绿色食品可用农药清单，比标准表更严时采用）")
    limit_source = serializers.CharField(help_text="所采用限量的来源")
    passed = serializers.BooleanField()


class SamplingReportOutSerializer(serializers.Serializer):
    report_number = serializers.CharField()
    sampled_on = serializers.DateField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    conclusion = serializers.CharField(help_text="pass（合格）/ fail（不合格）")
    note = serializers.CharField()
    results = SamplingResultOutSerializer(many=True, source="results.all")


class SamplingTaskSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.number")
    certificate = serializers.CharField(source="certificate.number")
    product_name = serializers.CharField(source="certificate.product_name")
    holder = serializers.CharField(source="certificate.holder.name")
    region = serializers.CharField(source="certificate.holder.region_id")
    lab = serializers.SerializerMethodField()
    status = serializers.CharField(help_text="unassigned（待指定检测机构）/ assigned（待检测）/ reported（已出报告）")
    conclusion = serializers.CharField(help_text="pass / fail；未出报告为空")
    report = serializers.SerializerMethodField()

    class Meta:
        model = SamplingTask
        fields = ["id", "number", "plan", "certificate", "product_name", "holder", "region", "weight", "tests", "lab",
                  "assigned_on", "unassigned_reason", "status", "conclusion", "rectification_number",
                  "follow_up_note", "report"]

    def get_lab(self, obj) -> dict | None:
        return {"id": obj.lab_id, "name": obj.lab.name} if obj.lab_id else None

    def get_report(self, obj) -> SamplingReportOutSerializer(allow_null=True):
        report = getattr(obj, "report", None) if obj.status == "reported" else None
        return SamplingReportOutSerializer(report).data if report else None


class SamplingResultInSerializer(serializers.Serializer):
    indicator = serializers.CharField(allow_blank=True, required=False, default="",
                                      help_text="检测指标名称，与限量标准表一致")
    value = serializers.CharField(allow_blank=True, required=False, default="", help_text="检测值（数字，不能为负）")
    unit = serializers.CharField(allow_blank=True, required=False, default="", help_text="单位，须与标准一致")


class SamplingReportInSerializer(serializers.Serializer):
    results = SamplingResultInSerializer(many=True, allow_empty=True)
    report_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    sampled_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SamplingAssignInSerializer(serializers.Serializer):
    lab = serializers.IntegerField(help_text="检测机构（主体）id")


class SamplingPassRateSerializer(serializers.Serializer):
    region = serializers.DictField(allow_null=True, help_text="{code, name}；合计行为 null")
    tested = serializers.IntegerField(help_text="当年度计划已出报告的任务数")
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    below_target = serializers.BooleanField(help_text="低于 98% 目标 [002 §2]")


class SamplingPassRatesSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target = serializers.IntegerField()
    rows = SamplingPassRateSerializer(many=True)
    total = SamplingPassRateSerializer()
