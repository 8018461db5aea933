"""Output shapes for certificates, their history, announcements and the public verify answer."""

from django.utils import timezone
from rest_framework import serializers

from sanpin.core import clock

from ..choices import AnnouncementKind, Status, category_label
from ..models import Announcement, AnnouncementItem, Certificate, StatusChange


class StatusChangeSerializer(serializers.ModelSerializer):
    at = serializers.DateTimeField()

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "reason", "reference", "at"]


class PublicStatusChangeSerializer(serializers.Serializer):
    """What the public may see of a change: the status and the day, not who or why."""

    to_status = serializers.CharField()
    on = serializers.SerializerMethodField()

    def get_on(self, obj) -> str:
        return timezone.localdate(obj.at).isoformat()


class CertificateSerializer(serializers.ModelSerializer):
    holder = serializers.SerializerMethodField()
    holder_id = serializers.IntegerField()
    category_label = serializers.SerializerMethodField()
    effective_status = serializers.SerializerMethodField()
    province = serializers.CharField(source="province_id", allow_null=True)
    country = serializers.CharField(source="country.iso_code", allow_null=True, default=None)

    class Meta:
        model = Certificate
        fields = ["number", "scheme", "holder", "holder_id", "product_name", "category", "category_label", "trademark",
                  "approved_output", "output_unit", "province", "country", "approved_on", "valid_from", "valid_until",
                  "status", "effective_status", "recovered_on", "reference"]

    def get_holder(self, obj) -> str:
        return obj.holder.name

    def get_category_label(self, obj) -> str:
        label = category_label(obj.scheme, obj.category)
        return label if label != obj.category else ""

    def get_effective_status(self, obj) -> str:
        return obj.effective_status(clock.today())


class CertificateDetailSerializer(CertificateSerializer):
    status_history = serializers.SerializerMethodField()
    terms = serializers.SerializerMethodField()

    class Meta(CertificateSerializer.Meta):
        fields = [*CertificateSerializer.Meta.fields, "status_history", "terms"]

    def get_status_history(self, obj) -> list[dict]:
        return StatusChangeSerializer(self.context["history"], many=True).data

    def get_terms(self, obj) -> list[dict]:
        return [{"valid_from": t.valid_from, "valid_until": t.valid_until, "approved_on": t.approved_on,
                 "status": t.status} for t in self.context["terms"]]


class AnnouncementItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnouncementItem
        fields = ["enterprise_name", "product_name", "number", "trademark", "approved_output", "output_unit",
                  "valid_from", "valid_until"]


class AnnouncementSerializer(serializers.ModelSerializer):
    items = AnnouncementItemSerializer(many=True)

    class Meta:
        model = Announcement
        fields = ["id", "title", "kind", "published_on", "items"]


class VerifyQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=500, help_text="产品编号，或扫描二维码得到的完整网址")


class VerifyResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["valid", "expired", "suspended", "revoked", "stopped",
                                              "in_rectification", "not_found", "forged"])
    signature = serializers.ChoiceField(choices=["valid", "missing", "bad"])
    number = serializers.CharField()
    holder = serializers.CharField(allow_null=True)
    product = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    trademark = serializers.CharField(allow_null=True)
    approved_output = serializers.CharField(allow_null=True)
    output_unit = serializers.CharField(allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    status_history = PublicStatusChangeSerializer(many=True)


def verification_body(verification) -> dict:
    c = verification.certificate
    category = None
    if c is not None:
        category = category_label(c.scheme, c.category)
    return {
        "result": verification.result,
        "signature": verification.signature,
        "number": verification.number,
        "holder": c.holder.name if c else None,
        "product": c.product_name if c else None,
        "category": category,
        "trademark": c.trademark if c else None,
        "approved_output": c.approved_output_text if c else None,
        "output_unit": c.output_unit if c else None,
        "valid_from": c.valid_from if c else None,
        "valid_until": c.valid_until if c else None,
        "status_history": PublicStatusChangeSerializer(verification.changes, many=True).data,
    }


class StatusInSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(max_length=2000)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class AnnouncementInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=AnnouncementKind.choices)
    numbers = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1, max_length=500)


class OrganicCodeBatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    certifier = serializers.CharField(source="certifier.code")
    certifier_name = serializers.CharField(source="certifier.name")
    year = serializers.IntegerField()
    quantity = serializers.CharField(source="quantity_text")
    count = serializers.IntegerField()
    issued_at = serializers.DateTimeField()


class OrganicCodesInSerializer(serializers.Serializer):
    certifier = serializers.CharField(max_length=3)
    count = serializers.IntegerField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
