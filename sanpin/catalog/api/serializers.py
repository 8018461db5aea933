"""API shapes of regions and entities: separate input (what a caller may send) and output."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sanpin.catalog.models import Entity, Region, Trademark


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Region
        fields = [
            "code", "name", "level", "parent", "full_name", "number_code", "poverty_exit_county",
            "poverty_exit_year", "key_assistance_county",
        ]
        read_only_fields = fields


class RegionDetailSerializer(RegionSerializer):
    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "number_code_basis", "number_code_source", "flags_source",
                  "is_active"]
        read_only_fields = fields


class TrademarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trademark
        fields = ["id", "name", "registration_no", "nice_class", "valid_until"]
        read_only_fields = fields


class EntityOutputSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.__str__", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    trademarks = TrademarkSerializer(many=True, read_only=True)

    class Meta:
        model = Entity
        fields = [
            "id", "name", "uscc", "kind", "kind_display", "region", "region_name", "address",
            "legal_representative", "contact_name", "contact_phone", "email", "is_active", "trademarks",
            "created_at", "updated_at",
        ]
        read_only_fields = fields


def _text(label, max_length, **kwargs):
    # Blank values pass through so the service answers with its specific Chinese message.
    return serializers.CharField(label=label, max_length=max_length, allow_blank=True, trim_whitespace=True, **kwargs)


class EntityCreateInputSerializer(serializers.Serializer):
    name = _text(_("名称"), 120)
    uscc = _text(_("统一社会信用代码"), 40, help_text=_("18位，校验位按 GB 32100 检查"))
    kind = _text(_("主体类型"), 30, help_text="enterprise, cooperative, family_farm, association, ...")
    region = _text(_("所在县区的区划代码"), 6)
    address = _text(_("地址"), 200)
    legal_representative = _text(_("法定代表人"), 60)
    contact_name = _text(_("联系人"), 60)
    contact_phone = _text(_("联系电话"), 30)
    email = _text(_("电子邮箱"), 254, required=False, default="")


class EntityUpdateInputSerializer(serializers.Serializer):
    """Any subset; an applicant may send only address, contact_name, contact_phone and email."""

    name = _text(_("名称"), 120, required=False)
    uscc = _text(_("统一社会信用代码"), 40, required=False)
    kind = _text(_("主体类型"), 30, required=False)
    region = _text(_("所在县区的区划代码"), 6, required=False)
    address = _text(_("地址"), 200, required=False)
    legal_representative = _text(_("法定代表人"), 60, required=False)
    contact_name = _text(_("联系人"), 60, required=False)
    contact_phone = _text(_("联系电话"), 30, required=False)
    email = _text(_("电子邮箱"), 254, required=False)
    is_active = serializers.BooleanField(label=_("有效"), required=False)
    reason = serializers.CharField(label=_("修改说明"), max_length=255, required=False, allow_blank=True,
                                   write_only=True)
