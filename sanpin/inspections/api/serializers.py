"""Input and output shapes of the annual-inspection API."""

from rest_framework import serializers

from sanpin.core import clock

from ..models import INSPECTED_SCHEMES, AnnualInspectionPlan, InspectionRecord, PlanItem


class InspectionRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class InspectionPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")


class PlanSerializer(serializers.ModelSerializer):
    province = InspectionRegionSerializer()
    items = serializers.SerializerMethodField()
    inspected = serializers.SerializerMethodField()

    class Meta:
        model = AnnualInspectionPlan
        fields = ["id", "province", "year", "schemes", "basis_date", "last_generated_on", "items", "inspected"]

    def get_items(self, obj) -> int:
        """Holders in the plan."""
        if hasattr(obj, "item_count"):
            return obj.item_count
        return obj.items.count()

    def get_inspected(self, obj) -> int:
        """Items whose inspection is recorded."""
        if hasattr(obj, "inspected_count"):
            return obj.inspected_count
        return obj.items.filter(record__isnull=False).count()


class PlanInSerializer(serializers.Serializer):
    province = serializers.CharField(max_length=6, help_text="省级区划代码，如 450000")
    year = serializers.IntegerField()
    schemes = serializers.ListField(child=serializers.CharField(max_length=20),
                                    default=list(INSPECTED_SCHEMES),
                                    help_text="green_food / green_inputs；默认两者")
    on = serializers.DateField(required=False, allow_null=True, default=None,
                               help_text="名单基准日：当日有效（含整改中）的证书持有单位列入；默认该年 1 月 1 日")


class RegenerateInSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None,
                               help_text="名单基准日，默认今天（限该计划年度内）")


class RegenerateOutSerializer(serializers.Serializer):
    plan = PlanSerializer()
    items_added = serializers.IntegerField()
    certificates_linked = serializers.IntegerField()


class ItemCertificateSerializer(serializers.Serializer):
    number = serializers.CharField()
    scheme = serializers.CharField()
    product_name = serializers.CharField()
    valid_until = serializers.DateField()
    effective_status = serializers.SerializerMethodField()

    def get_effective_status(self, obj) -> str:
        """Status today: valid, in_rectification, suspended, expired, stopped, revoked."""
        return obj.effective_status(clock.today())


class InspectedEntitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    region = serializers.CharField(source="region_id")


class RecordSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id")
    inspector = InspectionPersonSerializer()
    recorded_by = InspectionPersonSerializer()
    conclusion = serializers.CharField(help_text="pass 合格 / rectify 限期整改 / fail 不合格")
    rectifications = serializers.SerializerMethodField()
    revocation_requests = serializers.SerializerMethodField()

    class Meta:
        model = InspectionRecord
        fields = ["id", "number", "item", "inspector", "inspected_on", "findings", "conclusion", "recorded_by",
                  "rectifications", "revocation_requests", "skipped", "created_at"]

    def get_rectifications(self, obj) -> list[str]:
        """Numbers of the rectifications the conclusion opened."""
        return [r.number for r in obj.rectifications.all()]

    def get_revocation_requests(self, obj) -> list[str]:
        """Numbers of the revocation requests the conclusion opened."""
        return [r.number for r in obj.revocation_requests.all()]


class ItemSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id")
    year = serializers.IntegerField(source="plan.year")
    province = serializers.CharField(source="plan.province_id")
    entity = InspectedEntitySerializer()
    certificates = ItemCertificateSerializer(many=True)
    inspector = InspectionPersonSerializer(allow_null=True)
    record = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = ["id", "plan", "year", "province", "entity", "certificates", "added_on", "inspector", "assigned_at",
                  "record"]

    def get_record(self, obj) -> RecordSerializer(allow_null=True):
        try:
            return RecordSerializer(obj.record).data
        except PlanItem.record.RelatedObjectDoesNotExist:
            return None


class AssignInSerializer(serializers.Serializer):
    inspector = serializers.IntegerField(help_text="检查员的用户 id")


class RecordInSerializer(serializers.Serializer):
    inspected_on = serializers.DateField(help_text="检查日期（不晚于今天，且在计划年度内）")
    conclusion = serializers.CharField(max_length=10, help_text="检查结论：pass 合格 / rectify 限期整改 / fail 不合格")
    findings = serializers.CharField(required=False, allow_blank=True, default="",
                                     help_text="检查发现；结论为 rectify 或 fail 时必填")


class CoverageSerializer(serializers.Serializer):
    region = InspectionRegionSerializer()
    planned = serializers.IntegerField(help_text="当年年检计划中该区划的获证单位数")
    inspected = serializers.IntegerField(help_text="已录入检查结果的单位数")
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True, help_text="年检覆盖率（%）")
    target = serializers.DecimalField(max_digits=5, decimal_places=1, help_text="目标 100%")
    flagged = serializers.BooleanField(help_text="低于 100%（计划为空的区划不标记）")
