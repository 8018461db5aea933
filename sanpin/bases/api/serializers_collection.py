"""Input and output shapes of the collection and share API."""

from rest_framework import serializers

from ..models import CollectionCycle, CountySubmission, RegionProduction, ShareTarget, SubmissionEvent


class SubmissionEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")
    to_status = serializers.CharField(help_text="操作后的状态：submitted / returned / reviewed")

    class Meta:
        model = SubmissionEvent
        fields = ["action", "to_status", "comment", "actor", "at"]


class SubmissionSerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county_id", help_text="县级区划代码")
    county_name = serializers.CharField(source="county.name")
    status = serializers.CharField(help_text="not_started 未填报 / submitted 已提交 / returned 已退回 / "
                                   "reviewed 已复核")
    status_label = serializers.CharField(source="get_status_display")
    events = SubmissionEventSerializer(many=True, read_only=True)

    class Meta:
        model = CountySubmission
        fields = ["id", "cycle", "county", "county_name", "status", "status_label", "base_count", "area_mu",
                  "output_tons", "submitted_at", "reviewed_at", "comment", "events"]


class CycleSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id")
    province_name = serializers.CharField(source="province.name")

    class Meta:
        model = CollectionCycle
        fields = ["id", "province", "province_name", "year", "due_on", "created_at"]


class CycleDetailSerializer(CycleSerializer):
    submissions = SubmissionSerializer(source="submissions_in_scope", many=True,
                                       help_text="调用者管辖范围内各县（市、区）的报送")

    class Meta(CycleSerializer.Meta):
        fields = [*CycleSerializer.Meta.fields, "submissions"]


class CycleInSerializer(serializers.Serializer):
    province = serializers.CharField(max_length=6, help_text="省级区划代码，如 450000")
    year = serializers.IntegerField()
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class SubmissionActionInSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                    help_text="复核意见；退回时必填")


class ShareRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    counties_total = serializers.IntegerField()
    counties_reviewed = serializers.IntegerField()
    base_output_tons = serializers.DecimalField(max_digits=18, decimal_places=2,
                                                help_text="已复核报送的基地年产量合计（吨）")
    total_output_tons = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True,
                                                 help_text="食用农产品生产总量（吨）；未录入为 null")
    share_percent = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    target_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    meets_target = serializers.BooleanField(allow_null=True)
    pending_counties = serializers.ListField(child=serializers.CharField(), help_text="尚未复核的县（市、区）")


class ShareTableSerializer(serializers.Serializer):
    province = serializers.CharField(source="province.code")
    province_name = serializers.CharField(source="province.name")
    year = serializers.IntegerField()
    cycle = serializers.IntegerField(source="cycle.pk", allow_null=True, default=None)
    target_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    rows = ShareRowSerializer(many=True)
    total = ShareRowSerializer()


class ShareQuerySerializer(serializers.Serializer):
    province = serializers.CharField(required=False, help_text="省级区划代码；默认为调用者所在省")
    year = serializers.IntegerField(required=False, help_text="年度；默认为最近一次信息采集的年度")


class RegionProductionInSerializer(serializers.Serializer):
    region = serializers.CharField(max_length=6, help_text="设区市区划代码（直辖市用省级代码）")
    year = serializers.IntegerField()
    total_output_tons = serializers.CharField(max_length=30, help_text="食用农产品生产总量（吨）")
    source = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class RegionProductionSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id")

    class Meta:
        model = RegionProduction
        fields = ["region", "year", "total_output_tons", "source", "updated_at"]


class ShareTargetInSerializer(serializers.Serializer):
    province = serializers.CharField(max_length=6)
    year = serializers.IntegerField()
    min_percent = serializers.CharField(max_length=10, help_text="目标占比（%），0–100")
    source = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ShareTargetSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id")

    class Meta:
        model = ShareTarget
        fields = ["province", "year", "min_percent", "source", "updated_at"]
