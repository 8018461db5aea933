"""Input and output shapes of the supervision API (rectifications and revocation requests)."""

from django.urls import reverse
from rest_framework import serializers

from sanpin.core import clock

from .. import selectors
from ..models import Rectification, RectificationEvidence, RevocationRequest


class SupervisionHolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()


class SupervisionCertificateSerializer(serializers.Serializer):
    number = serializers.CharField()
    scheme = serializers.CharField()
    product_name = serializers.CharField()
    status = serializers.CharField(help_text="证书存储的状态（valid、in_rectification、revoked 等）")
    holder = SupervisionHolderSerializer()


class RectificationEvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = RectificationEvidence
        fields = ["id", "filename", "content_type", "size", "sha256", "uploaded_at", "download"]

    def get_download(self, obj) -> str:
        """API path of the file (same scope as the rectification)."""
        return reverse("rectification-evidence", args=[obj.rectification_id, obj.pk])


class RectificationSerializer(serializers.ModelSerializer):
    certificate = SupervisionCertificateSerializer()
    cause_label = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    evidence = RectificationEvidenceSerializer(many=True)
    revocation_requests = serializers.SerializerMethodField()
    source = serializers.CharField(help_text="来源：annual_inspection / sampling / risk_monitoring / "
                                             "flight_inspection / market_check / complaint / manual")
    status = serializers.CharField(help_text="open 整改中 / answered 已提交整改报告 / accepted 整改合格 / "
                                             "failed 整改不合格 / overdue 逾期未整改")

    class Meta:
        model = Rectification
        fields = ["id", "number", "certificate", "cause", "cause_label", "detail", "source", "source_ref", "opened_on",
                  "due_on", "overdue", "status", "answer", "answered_at", "evidence", "decision_note", "decided_at",
                  "revocation_requests"]

    def get_cause_label(self, obj) -> str:
        return selectors.rectification_cause_label(obj)

    def get_overdue(self, obj) -> bool:
        """Past the deadline without an answer (computed today)."""
        return selectors.is_overdue(obj, clock.today())

    def get_revocation_requests(self, obj) -> list[int]:
        """Ids of the revocation requests that followed this rectification."""
        return [r.pk for r in obj.revocation_requests.all()]


class RevocationAnnouncementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    published_on = serializers.DateField()


class ApplicationBanSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    starts_on = serializers.DateField()
    until = serializers.DateField(allow_null=True, help_text="空表示永久不得申请")


class RevocationSerializer(serializers.ModelSerializer):
    certificate = SupervisionCertificateSerializer()
    cause_labels = serializers.SerializerMethodField()
    announcement = RevocationAnnouncementSerializer(allow_null=True)
    bans = ApplicationBanSerializer(many=True)
    status = serializers.CharField(help_text="pending 待决定 / revoked 已取消标志使用权 / declined 不予取消")

    class Meta:
        model = RevocationRequest
        fields = ["id", "number", "certificate", "causes", "cause_labels", "detail", "rectification", "requested_on",
                  "status", "serious", "decision_note", "decided_at", "announcement", "bans"]

    def get_cause_labels(self, obj) -> list[str]:
        return selectors.revocation_cause_labels(obj)


class RectificationInSerializer(serializers.Serializer):
    certificate = serializers.CharField(max_length=40, help_text="证书（产品）编号",
                                        error_messages={"required": "请填写证书编号", "blank": "请填写证书编号"})
    cause = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                  help_text="整改原因代码（见 causes.RECTIFICATION_CAUSES，按认证类型）")
    detail = serializers.CharField(required=False, allow_blank=True, default="", help_text="问题描述")
    source = serializers.CharField(max_length=30, required=False, default="manual",
                                   help_text="annual_inspection / sampling / risk_monitoring / flight_inspection / "
                                             "market_check / complaint / manual")
    source_ref = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class AnswerInSerializer(serializers.Serializer):
    answer = serializers.CharField(required=False, allow_blank=True, default="", help_text="整改情况")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                  help_text="证明材料（PDF、JPG、PNG、docx、xlsx，每个不超过 20 MB）")


class RectificationDecideInSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="true 整改合格；false 整改不合格（自动报请取消）",
                                        error_messages={"required": "请选择审核结论"})
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="审核意见")


class RevocationInSerializer(serializers.Serializer):
    certificate = serializers.CharField(max_length=40, help_text="证书（产品）编号",
                                        error_messages={"required": "请填写证书编号", "blank": "请填写证书编号"})
    causes = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list,
                                   help_text="取消原因代码（见 causes.REVOCATION_CAUSES，按认证类型）")
    detail = serializers.CharField(required=False, allow_blank=True, default="", help_text="事实与依据")


class RevocationDecideInSerializer(serializers.Serializer):
    revoke = serializers.BooleanField(help_text="true 取消标志使用权；false 不予取消",
                                      error_messages={"required": "请选择决定"})
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="决定意见")
    serious = serializers.BooleanField(required=False, default=False, help_text="情节严重（绿色食品永久不得申请）")
