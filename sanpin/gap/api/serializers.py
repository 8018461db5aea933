"""Input and output shapes of the GAP API."""

from rest_framework import serializers

from sanpin.core import clock

from ..models import GAPCertificate


class GAPHolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    region = serializers.CharField(source="region_id")


class GAPCertificateSerializer(serializers.ModelSerializer):
    holder = GAPHolderSerializer()
    status = serializers.CharField(help_text="存储的状态：valid（有效）或 ended（已终止）")
    effective_status = serializers.SerializerMethodField()

    class Meta:
        model = GAPCertificate
        fields = ["id", "holder", "certifier", "number", "products", "area", "valid_from", "valid_until", "status",
                  "effective_status", "ended_on", "end_reason"]

    def get_effective_status(self, obj) -> str:
        """`expired` once valid_until has passed (computed on today's date, never stored)."""
        return obj.effective_status(clock.today())


class GAPCertificateInSerializer(serializers.Serializer):
    holder_uscc = serializers.CharField(max_length=18, help_text="获证主体的统一社会信用代码")
    certifier = serializers.CharField(max_length=120)
    number = serializers.CharField(max_length=60)
    products = serializers.CharField(max_length=200)
    area = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
