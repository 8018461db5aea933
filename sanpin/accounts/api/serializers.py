"""Input and output shapes of the auth endpoints."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# The one error body every endpoint answers with (sanpin.api.errors), documented once.
from sanpin.api.schema import ErrorBodySerializer

__all__ = [
    "AgencyRefSerializer", "EntityRefSerializer", "ErrorBodySerializer", "MeSerializer", "RegionRefSerializer",
    "TokenRequestSerializer", "TokenSerializer",
]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=150, error_messages={"required": _("请填写用户名"), "blank": _("请填写用户名")}
    )
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"},
        error_messages={"required": _("请填写密码"), "blank": _("请填写密码")},
    )
    otp = serializers.CharField(
        max_length=8, required=False, allow_blank=True,
        help_text=_("已启用动态验证码的账号必填：身份验证器上当前的 6 位数字"),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AgencyRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    level = serializers.CharField()
    region = RegionRefSerializer(allow_null=True)


class EntityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    agency = AgencyRefSerializer(allow_null=True)
    entity = EntityRefSerializer(allow_null=True)
