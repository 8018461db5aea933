"""Input and output of the 合格证 API. The POST body is validated row by row in
sanpin.compliance.issuing (10,000 rows in one request are too many for DRF field serializers); the
input serializer here documents it in the schema."""

from rest_framework import serializers

from .. import codes
from ..choices import COMMITMENT_TEXT, CommitmentBasis, ProductCategory


class ComplianceInSerializer(serializers.Serializer):
    product_name = serializers.CharField(max_length=60)
    category = serializers.ChoiceField(choices=ProductCategory.choices)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, help_text="> 0")
    unit = serializers.CharField(max_length=10, required=False, help_text="默认“公斤”")
    origin = serializers.CharField(max_length=120, required=False, help_text="默认主体所在县区")
    contact_phone = serializers.CharField(max_length=30, required=False, help_text="默认主体联系电话")
    basis = serializers.ChoiceField(choices=CommitmentBasis.choices, required=False,
                                    help_text="默认 quality_control")
    test_report_no = serializers.CharField(max_length=60, required=False,
                                           help_text="basis 为 self_test / commissioned_test 时必填")
    mark_number = serializers.CharField(max_length=40, required=False,
                                        help_text="绿色食品/有机/绿色生资证书编号或地理标志登记编号（三码合一）")
    trace_code = serializers.CharField(max_length=60, required=False)
    issued_at = serializers.DateTimeField(required=False, help_text="离线开具的时间；默认当前时间，最早 31 天前")
    idempotency_key = serializers.CharField(max_length=64, required=False,
                                            help_text="客户端幂等键：同键同内容重试返回首次开具的合格证")


class ComplianceCertificateSerializer(serializers.Serializer):
    code = serializers.CharField()
    issued_at = serializers.DateTimeField()
    issuer = serializers.CharField(source="issuer.name")
    issuer_id = serializers.IntegerField()
    region = serializers.CharField(source="region_id")
    product_name = serializers.CharField()
    category = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.CharField()
    origin = serializers.CharField()
    contact_phone = serializers.CharField()
    basis = serializers.CharField()
    test_report_no = serializers.CharField()
    mark_number = serializers.CharField()
    trace_code = serializers.CharField()
    is_reissue = serializers.BooleanField()
    status = serializers.CharField()
    scan_count = serializers.IntegerField()
    flagged = serializers.CharField()
    scan_url = serializers.SerializerMethodField()

    def get_scan_url(self, certificate) -> str:
        return codes.scan_url(certificate.code)


class IssuedSerializer(serializers.Serializer):
    """One row of a batch answer, in the order of the request."""

    code = serializers.CharField()
    issued_at = serializers.DateTimeField()
    scan_url = serializers.CharField()
    idempotency_key = serializers.CharField()
    created = serializers.BooleanField(help_text="false: answered from an earlier request with the same key")


class BatchResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    created = serializers.IntegerField()
    results = IssuedSerializer(many=True)


def batch_body(result) -> dict:
    """BatchResultSerializer's output for an issue result, built directly: ten thousand rows through
    DRF fields cost more than issuing them. Each distinct issue time is formatted once, by the
    same DateTimeField; the scan URLs are signed with the key looked up once."""
    moment = serializers.DateTimeField()
    shown: dict = {}
    rows = []
    urls = result.scan_urls()
    for issued, url, key, created in zip(result.issued, urls, result.keys, result.created, strict=True):
        at = shown.get(issued.issued_at)
        if at is None:
            at = shown[issued.issued_at] = moment.to_representation(issued.issued_at)
        rows.append({"code": issued.code, "issued_at": at, "scan_url": url, "idempotency_key": key,
                     "created": created})
    return {"count": len(rows), "created": result.created_count, "results": rows}


class KeysetPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(allow_null=True, help_text="always null: not counted at this volume")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ComplianceCertificateSerializer(many=True)


class MarkSerializer(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    label = serializers.CharField()
    holder = serializers.CharField()
    product = serializers.CharField()
    warning = serializers.CharField()


class PublicNodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    issued_at = serializers.DateTimeField()
    producer = serializers.CharField(source="issuer.name")
    product_name = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.CharField()
    origin = serializers.CharField()
    is_reissue = serializers.BooleanField()
    depth = serializers.IntegerField()


class PublicCertificateSerializer(serializers.Serializer):
    title = serializers.SerializerMethodField(help_text="承诺达标合格证")
    code = serializers.CharField()
    issued_at = serializers.DateTimeField()
    producer = serializers.CharField(source="issuer.name")
    product_name = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    unit = serializers.CharField()
    origin = serializers.CharField()
    contact_phone = serializers.CharField()
    basis = serializers.CharField()
    basis_label = serializers.CharField(source="get_basis_display")
    test_report_no = serializers.CharField()
    commitment = serializers.SerializerMethodField(help_text="承诺声明")
    trace_code = serializers.CharField()
    is_reissue = serializers.BooleanField()
    scan_count = serializers.IntegerField()
    possible_copy = serializers.CharField(source="flagged", help_text="疑似复制的原因；空：未发现")

    def get_title(self, certificate) -> str:
        return "承诺达标合格证"

    def get_commitment(self, certificate) -> str:
        return str(COMMITMENT_TEXT)


class PublicAnswerSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["valid", "voided", "forged", "not_found"])
    code = serializers.CharField()
    signature = serializers.ChoiceField(choices=["valid", "missing", "bad"])
    certificate = PublicCertificateSerializer(allow_null=True)
    marks = MarkSerializer(many=True)
    chain = PublicNodeSerializer(many=True, help_text="every certificate upstream, nearest first")
    producers = serializers.ListField(child=serializers.CharField(), help_text="the producers at the chain's roots")
    chain_truncated = serializers.BooleanField()
