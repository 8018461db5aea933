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


class PublicBaseSerializer(serializers.Serializer):
    """A listed base as the public sees it: no contacts and no person's name."""

    directory_number = serializers.CharField()
    name = serializers.CharField()
    base_type = serializers.CharField(help_text="GF / OR / GI / GQ / IP / FC")
    base_type_label = serializers.CharField()
    level = serializers.CharField(help_text="national / provincial / district")
    level_label = serializers.CharField()
    region = serializers.CharField(help_text="所在县（市、区）全称")
    location = serializers.CharField()
    products = serializers.CharField()
    varieties = serializers.CharField()
    area_mu = serializers.DecimalField(max_digits=12, decimal_places=2)
    output_tons = serializers.DecimalField(max_digits=14, decimal_places=2)
    coverage = serializers.CharField(help_text="标识牌：种养范围")
    techniques = serializers.CharField(help_text="标识牌：技术措施")
    responsible_entity = serializers.CharField(help_text="标识牌：责任主体（运营主体名称）")
    listed_on = serializers.DateField()


class PublicBaseDetailSerializer(PublicBaseSerializer):
    certificates = serializers.ListField(child=serializers.CharField(), help_text="今天有效的关联证书编号")
    gap_certificates = serializers.ListField(child=serializers.CharField(),
                                             help_text="今天有效的良好农业规范认证证书编号")
