"""Input and output shapes of the bases API. Codes go out with their Chinese labels; input values
are taken as text and checked by sanpin.bases.validation, the same checks the form and the Excel
import use."""

from rest_framework import serializers

from ..choices import SamplingResult
from ..models import Base, BaseCheck, BaseStatusChange


class OperatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()


class CountySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="full_name")


class GAPRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    certifier = serializers.CharField()


class ApplicationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="提交前为空")
    state = serializers.CharField()
    state_label = serializers.CharField()


class BaseSerializer(serializers.ModelSerializer):
    # Codes as plain strings with their labels beside them (enum components would collide with
    # the other apps' "level" and "status" choice sets in the schema).
    base_type = serializers.CharField(help_text="GF / OR / GI / GQ / IP / FC")
    level = serializers.CharField(help_text="national / provincial / district")
    status = serializers.CharField(help_text="building（按标建设）/ listed（已纳入目录）/ removed（已移出目录）")
    removal_cause = serializers.CharField(help_text="incident / violation / requirements；未移出为空")
    base_type_label = serializers.CharField(source="get_base_type_display")
    level_label = serializers.CharField(source="get_level_display")
    status_label = serializers.CharField(source="get_status_display")
    removal_cause_label = serializers.CharField(source="get_removal_cause_display")
    operator = OperatorSerializer()
    county = CountySerializer()
    certificates = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True,
                                                help_text="关联证书编号")
    gap_certificates = GAPRefSerializer(many=True)
    listing_application = ApplicationRefSerializer(allow_null=True)

    class Meta:
        model = Base
        fields = ["id", "name", "base_type", "base_type_label", "level", "level_label", "operator", "county",
                  "products", "varieties", "area_mu", "output_tons", "location", "longitude", "latitude", "coverage",
                  "techniques", "responsible_person", "certificates", "gap_certificates", "status", "status_label",
                  "directory_number", "listed_on", "removed_on", "removal_cause", "removal_cause_label",
                  "removal_reason", "listing_application", "created_at", "updated_at"]


class BaseStatusChangeSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(help_text="录入时为空")
    to_status = serializers.CharField()
    from_status_label = serializers.CharField(source="get_from_status_display")
    to_status_label = serializers.CharField(source="get_to_status_display")
    actor = serializers.CharField(source="actor.__str__")

    class Meta:
        model = BaseStatusChange
        fields = ["from_status", "from_status_label", "to_status", "to_status_label", "on", "reason", "reference",
                  "actor"]


class BaseCheckSerializer(serializers.ModelSerializer):
    result = serializers.CharField(help_text="passed / failed")
    sampling = serializers.CharField(help_text="not_sampled / passed / failed")
    result_label = serializers.CharField(source="get_result_display")
    sampling_label = serializers.CharField(source="get_sampling_display")
    checked_by = serializers.CharField(source="checked_by.__str__")

    class Meta:
        model = BaseCheck
        fields = ["id", "year", "checked_on", "result", "result_label", "sampling", "sampling_label", "findings",
                  "checked_by"]


class BaseDetailSerializer(BaseSerializer):
    history = BaseStatusChangeSerializer(many=True, source="status_changes")
    checks = BaseCheckSerializer(many=True)

    class Meta(BaseSerializer.Meta):
        fields = [*BaseSerializer.Meta.fields, "history", "checks"]


def _text(help_text="", **kwargs):
    return serializers.CharField(required=False, allow_blank=True, help_text=help_text, **kwargs)


class BaseInSerializer(serializers.Serializer):
    """Every field is text (numbers may be JSON numbers); which are required and what is allowed is
    answered by the validation as 400 with `fields`."""

    name = _text("必填")
    base_type = _text("必填：GF / OR / GI / GQ / IP / FC，或其中文名称")
    level = _text("必填：national / provincial / district，或其中文名称")
    operator = _text("必填：运营主体的统一社会信用代码")
    county = _text("必填：所在县级区划代码")
    products = _text("必填")
    varieties = _text()
    area_mu = _text("必填：面积（亩），大于 0")
    output_tons = _text("必填：年产量（吨），不小于 0")
    location = _text("必填")
    longitude = _text(allow_null=True)
    latitude = _text(allow_null=True)
    coverage = _text("标识牌：种养范围")
    techniques = _text("标识牌：技术措施")
    responsible_person = _text("标识牌：责任人")
    certificates = serializers.ListField(child=serializers.CharField(), required=False,
                                         help_text="关联证书编号（运营主体本单位的证书）")
    gap_certificates = serializers.ListField(child=serializers.IntegerField(), required=False,
                                             help_text="关联良好农业规范认证记录 id（运营主体本单位的）")


class BaseCheckInSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    checked_on = serializers.DateField()
    # Codes are checked by the service, which names a wrong one in Chinese.
    result = serializers.CharField(allow_blank=True, help_text="passed（合格）/ failed（不合格）")
    sampling = serializers.CharField(default=SamplingResult.NOT_SAMPLED,
                                     help_text="not_sampled（未抽检）/ passed（抽检合格）/ failed（抽检不合格）")
    findings = serializers.CharField(required=False, allow_blank=True, default="", help_text="不合格时必填")


class BaseRemoveInSerializer(serializers.Serializer):
    cause = serializers.CharField(required=False, allow_blank=True, default="",
                                  help_text="incident（发生重大农产品质量安全事件）/ violation（存在违规违法行为）/ "
                                            "requirements（不符合基地相关要求）")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="移出的事实和依据")
