"""Input and output shapes of the GI API."""

from rest_framework import serializers

from sanpin.core import clock

from ..models import GIAuthorization, GIQualityRecord, GIRegistration, GIStatusChange


class HolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    region = serializers.CharField(source="region_id")


REGISTRATION_STATUS = "registered（已登记）或 revoked（已撤销）"


class RegistrationSerializer(serializers.ModelSerializer):
    holder = HolderSerializer()
    status = serializers.CharField(help_text=REGISTRATION_STATUS)
    counties = serializers.SerializerMethodField()

    class Meta:
        model = GIRegistration
        fields = ["number", "product_name", "holder", "registered_on", "status", "scope_text", "counties"]

    def get_counties(self, obj) -> list[str]:
        return [c.code for c in obj.counties.all()]


class StatusChangeSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(help_text=REGISTRATION_STATUS + "；首次登记时为空")
    to_status = serializers.CharField(help_text=REGISTRATION_STATUS)

    class Meta:
        model = GIStatusChange
        fields = ["from_status", "to_status", "reason", "at"]


class QualityRecordSerializer(serializers.ModelSerializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=True)

    class Meta:
        model = GIQualityRecord
        fields = ["year", "indicator", "value", "unit", "method", "lab", "sampled_on"]


class RegistrationDetailSerializer(RegistrationSerializer):
    quality_characteristics = serializers.CharField()
    specification = serializers.CharField()
    history = StatusChangeSerializer(source="status_changes", many=True)
    quality_records = QualityRecordSerializer(many=True)

    class Meta(RegistrationSerializer.Meta):
        fields = [*RegistrationSerializer.Meta.fields, "quality_characteristics", "specification", "history",
                  "quality_records"]


class AuthorizationSerializer(serializers.ModelSerializer):
    registration = serializers.CharField(source="registration.number")
    user_entity = HolderSerializer()
    quantity = serializers.CharField(source="quantity_text")
    status = serializers.CharField(help_text="存储的状态：valid（有效）或 ended（已终止）")
    effective_status = serializers.SerializerMethodField()

    class Meta:
        model = GIAuthorization
        fields = ["id", "registration", "user_entity", "product", "quantity", "unit", "valid_from", "valid_until",
                  "status", "effective_status", "ended_on", "end_reason"]

    def get_effective_status(self, obj) -> str:
        """`expired` once valid_until has passed (computed on today's date, never stored)."""
        return obj.effective_status(clock.today())


class AuthorizationInSerializer(serializers.Serializer):
    registration = serializers.CharField(max_length=20, help_text="登记证书编号")
    user_entity_uscc = serializers.CharField(max_length=18, help_text="被授权主体的统一社会信用代码")
    product = serializers.CharField(max_length=120)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.CharField(max_length=20)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()


class GIImportInSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="工作簿 .xlsx（列见导入模板）")


class GIImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="row_no")
    number = serializers.CharField()
    product_name = serializers.CharField()
    holder_name = serializers.CharField()


class GIImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    written = serializers.IntegerField()
    rows = GIImportRowSerializer(many=True)


class PublicRegistrationSerializer(serializers.Serializer):
    """What anyone may read of a registration: the register's public facts."""

    number = serializers.CharField()
    product_name = serializers.CharField()
    holder = serializers.CharField(source="holder.name")
    scope_text = serializers.CharField()
    registered_on = serializers.DateField()
    status = serializers.CharField(help_text=REGISTRATION_STATUS)
