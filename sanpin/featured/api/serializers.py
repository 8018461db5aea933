"""Input and output shapes of the 名特优新 API."""

from rest_framework import serializers

from sanpin.core import clock

from ..models import AnnualConfirmation, NutritionEvaluation, QualityTest


class FeaturedHolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField(source="region_id")


class FeaturedListingSerializer(serializers.Serializer):
    number = serializers.CharField()
    product_name = serializers.CharField()
    category = serializers.CharField()
    holder = FeaturedHolderSerializer()
    approved_on = serializers.DateField()
    confirmation_due_on = serializers.DateField(source="valid_until", help_text="下一次年度确认的截止日")
    status = serializers.CharField(help_text="存储的状态：valid / revoked（未按期年度确认退出名录）等")
    effective_status = serializers.SerializerMethodField()

    def get_effective_status(self, obj) -> str:
        """`expired` once the due date has passed (the daily job then removes the listing)."""
        return obj.effective_status(clock.today())


class FeaturedConfirmationSerializer(serializers.ModelSerializer):
    certificate = serializers.CharField(source="certificate.number")
    submitted_by = serializers.CharField(source="submitted_by.username")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    status = serializers.CharField(help_text="submitted（待确认）/ confirmed（已确认）/ refused（不予确认）")

    class Meta:
        model = AnnualConfirmation
        fields = ["id", "certificate", "due_on", "still_producing", "output", "output_unit", "changes", "status",
                  "submitted_at", "submitted_by", "decided_at", "decided_by", "opinion", "new_valid_until"]


class FeaturedQualityTestSerializer(serializers.ModelSerializer):
    has_report_file = serializers.SerializerMethodField()

    class Meta:
        model = QualityTest
        fields = ["id", "lab", "tested_on", "passed", "conclusion", "report_number", "has_report_file"]

    def get_has_report_file(self, obj) -> bool:
        return bool(obj.report_file)


class FeaturedNutritionEvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = NutritionEvaluation
        fields = ["id", "lab", "evaluated_on", "indicators", "conclusion", "free", "free_basis"]


class FeaturedListingDetailSerializer(FeaturedListingSerializer):
    last_quality_test_on = serializers.DateField(allow_null=True)
    confirmations = FeaturedConfirmationSerializer(many=True)
    quality_tests = FeaturedQualityTestSerializer(many=True)
    nutrition_evaluations = FeaturedNutritionEvaluationSerializer(many=True)


class FeaturedConfirmationInSerializer(serializers.Serializer):
    still_producing = serializers.BooleanField()
    output = serializers.DecimalField(max_digits=14, decimal_places=3)
    output_unit = serializers.CharField(max_length=20)
    changes = serializers.CharField(required=False, allow_blank=True, default="")


class FeaturedDecisionInSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["confirm", "refuse"])
    opinion = serializers.CharField()


class FeaturedQualityTestInSerializer(serializers.Serializer):
    lab = serializers.CharField(max_length=120)
    tested_on = serializers.DateField()
    passed = serializers.BooleanField()
    conclusion = serializers.CharField()
    report_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    report_file = serializers.FileField(required=False, allow_null=True, default=None)


class FeaturedIndicatorSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    value = serializers.CharField(max_length=30)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class FeaturedNutritionEvaluationInSerializer(serializers.Serializer):
    lab = serializers.CharField(max_length=120)
    evaluated_on = serializers.DateField()
    indicators = FeaturedIndicatorSerializer(many=True)
    conclusion = serializers.CharField()
