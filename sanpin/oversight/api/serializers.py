"""Output and input shapes of the oversight API. Staff lists carry what the staff pages show; the
public complaint answer carries only the tracking code and the status."""

from rest_framework import serializers

from ..models import (
    Complaint,
    FlightInspection,
    LabelFiling,
    MarkCase,
    MarketCheck,
    MarketCheckItem,
    RiskProject,
    RiskRecord,
)


class CertificateRefSerializer(serializers.Serializer):
    number = serializers.CharField()
    scheme = serializers.CharField()
    product_name = serializers.CharField()
    holder = serializers.CharField(source="holder.name")


class RiskProjectSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(help_text="认证类型：green_inputs / green_food / organic / gi / featured")
    regions = serializers.SerializerMethodField()
    organiser = serializers.CharField(source="organiser.name", allow_null=True, default=None)

    class Meta:
        model = RiskProject
        fields = ["id", "number", "year", "scheme", "title", "focus", "regions", "organiser", "created_at"]

    def get_regions(self, obj) -> list[str]:
        return sorted(r.code for r in obj.regions.all())


class RiskRecordSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.number")
    certificate = CertificateRefSerializer(allow_null=True)
    region = serializers.CharField(source="region_id")
    rectification = serializers.CharField(source="rectification.number", allow_null=True, default=None)
    finding = serializers.CharField(help_text="normal 未见异常 / risk 存在风险隐患 / exceeded 超出限量")

    class Meta:
        model = RiskRecord
        fields = ["id", "project", "certificate", "region", "product_name", "sample_code", "sampled_on", "indicator",
                  "value", "unit", "limit", "finding", "note", "rectification"]


class FlightInspectionSerializer(serializers.ModelSerializer):
    certificate = CertificateRefSerializer()
    inspectors = serializers.SerializerMethodField()
    rectification = serializers.CharField(source="rectification.number", allow_null=True, default=None)
    revocation = serializers.CharField(source="revocation.number", allow_null=True, default=None)
    status = serializers.CharField(help_text="planned 已计划（获证单位不可见） / recorded 已检查")
    conclusion = serializers.CharField(help_text="pass / rectify / revoke；未检查时为空")

    class Meta:
        model = FlightInspection
        fields = ["id", "number", "certificate", "planned_on", "reason", "inspectors", "status", "inspected_on",
                  "findings", "conclusion", "rectification", "revocation"]

    def get_inspectors(self, obj) -> list[str]:
        return [u.username for u in obj.inspectors.all()]


class MarketItemSerializer(serializers.ModelSerializer):
    mark_scheme = serializers.CharField(help_text="包装上的标志：green_inputs / green_food / organic / gi / featured")
    certificate = serializers.CharField(source="certificate.number", allow_null=True, default=None)
    case = serializers.SerializerMethodField()
    result = serializers.CharField(help_text="conforming 规范 / counterfeit 假冒（查无此证） / "
                                             "unauthorised 冒用（证书失效） / label_nonconforming 标签不规范")

    class Meta:
        model = MarketCheckItem
        fields = ["id", "product_name", "seller", "mark_scheme", "number_shown", "label_ok", "registry_status",
                  "result", "certificate", "case", "note"]

    def get_case(self, obj) -> str | None:
        case = getattr(obj, "case", None)
        return case.number if case else None


class MarketCheckSerializer(serializers.ModelSerializer):
    place_kind = serializers.CharField(help_text="market / supermarket / fair / online / other")
    region = serializers.CharField(source="region_id")
    items = MarketItemSerializer(many=True)

    class Meta:
        model = MarketCheck
        fields = ["id", "number", "place", "place_kind", "region", "checked_on", "inspectors", "note", "items"]


class MarkCaseSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="counterfeit 假冒标志 / unauthorised 冒用标志（证书失效）")
    status = serializers.CharField(help_text="open 待移交 / handed_over 已移交市场监管部门")
    region = serializers.CharField(source="region_id")
    number_shown = serializers.CharField(source="item.number_shown")
    product_name = serializers.CharField(source="item.product_name")
    check = serializers.CharField(source="item.market_check.number")
    holder = serializers.CharField(source="holder.name", allow_null=True, default=None)

    class Meta:
        model = MarkCase
        fields = ["id", "number", "kind", "region", "seller", "place", "product_name", "number_shown", "check",
                  "holder", "status", "handed_to", "handed_on"]


class MarketFigureSerializer(serializers.Serializer):
    region = serializers.CharField()
    region_name = serializers.CharField()
    year = serializers.IntegerField()
    checks = serializers.IntegerField()
    items = serializers.IntegerField()
    counterfeit = serializers.IntegerField(help_text="假冒标志（编号查无此证）")
    unauthorised = serializers.IntegerField(help_text="冒用标志（证书已过期、暂停或取消）")


class LabelFilingSerializer(serializers.ModelSerializer):
    certificate = CertificateRefSerializer()
    status = serializers.CharField(help_text="submitted 待审核 / approved 已备案 / returned 已退回")

    class Meta:
        model = LabelFiling
        fields = ["id", "number", "certificate", "description", "filename", "content_type", "size", "sha256",
                  "status", "comments", "created_at", "reviewed_at"]


class ComplaintSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="received 已受理 / handling 办理中 / closed 已办结")
    result = serializers.CharField(help_text="upheld 举报属实 / not_upheld 举报不属实 / referred 已移交；未办结时为空")
    region = serializers.CharField(source="region_id")
    certificate = serializers.CharField(source="certificate.number", allow_null=True, default=None)
    assigned_to = serializers.CharField(source="assigned_to.username", allow_null=True, default=None)
    rectification = serializers.CharField(source="rectification.number", allow_null=True, default=None)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ["id", "tracking_code", "product_name", "number_shown", "place", "description", "contact", "region",
                  "certificate", "status", "assigned_to", "findings", "result", "created_at", "closed_at",
                  "rectification", "has_photo"]

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class ComplaintInSerializer(serializers.Serializer):
    product_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    number_shown = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                         help_text="包装上的标志编号；查到证书时转交获证单位所在省")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    region = serializers.CharField(max_length=6, required=False, allow_blank=True, default="",
                                   help_text="编号查不到时必填：受理地区代码，如 450000、450100")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False, allow_null=True, default=None, help_text="JPG、PNG 或 PDF")


class ComplaintStatusSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    status = serializers.CharField(help_text="received 已受理 / handling 办理中 / closed 已办结")
    status_label = serializers.CharField()
    received_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    region = serializers.CharField(help_text="受理地区名称")
