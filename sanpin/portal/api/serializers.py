"""Public shapes of the portal API: only public facts of the registry."""

from rest_framework import serializers


class PublicSearchRowSerializer(serializers.Serializer):
    number = serializers.CharField()
    scheme = serializers.CharField(help_text="green_inputs / green_food / organic / gi / featured")
    scheme_label = serializers.CharField()
    product_name = serializers.CharField()
    trademark = serializers.CharField()
    holder_name = serializers.CharField()
    holder_uscc = serializers.CharField(help_text="企业的统一社会信用代码；个体工商户为空")
    region = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    status = serializers.CharField(help_text="按今天计算的状态：valid / in_rectification / suspended / expired / "
                                   "stopped / revoked")
    status_label = serializers.CharField()
    verify_url = serializers.CharField()
