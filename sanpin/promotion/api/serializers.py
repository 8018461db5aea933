"""Input and output shapes of the promotion API."""

from rest_framework import serializers


class OrganiserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ShownCertificateSerializer(serializers.Serializer):
    number = serializers.CharField()
    product_name = serializers.CharField()
    scheme = serializers.CharField(help_text="green_inputs / green_food / organic / gi / featured")
    verify_url = serializers.CharField(help_text="公开验证页地址")


class PublicParticipantSerializer(serializers.Serializer):
    entity = serializers.CharField(help_text="参展主体名称")
    products = serializers.ListField(child=serializers.CharField())
    certificates = ShownCertificateSerializer(many=True, help_text="可展示的证书（已标记不能展示的不列出）")
    deals_count = serializers.IntegerField(allow_null=True)
    deals_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, help_text="万元")


class PublicEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="green_expo / organic_expo / gi_exhibition / green_food_month / "
                                           "featured_promotion / local_fair")
    kind_label = serializers.CharField()
    title = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    place = serializers.CharField()
    organiser = OrganiserRefSerializer()
    signup_deadline = serializers.DateField()
    status = serializers.CharField(help_text="open / closed / held / cancelled")
    status_label = serializers.CharField()
    visitors = serializers.IntegerField(allow_null=True, help_text="观众人次（举办后登记）")
    deals_count = serializers.IntegerField(allow_null=True)
    deals_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, help_text="万元")


class PublicEventDetailSerializer(PublicEventSerializer):
    description = serializers.CharField()
    results_note = serializers.CharField()
    cancel_reason = serializers.CharField()
    participants = PublicParticipantSerializer(many=True, help_text="审核通过的参展主体")
    award_lists = serializers.ListField(child=serializers.IntegerField(), help_text="本活动已发布的获奖名单 id")


class AwardEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    award = serializers.CharField(help_text="奖项/等级")
    product = serializers.CharField()
    holder = serializers.CharField(help_text="获证主体")
    certificate = serializers.CharField(help_text="证书编号")
    verify_url = serializers.CharField(help_text="公开验证页地址")


class PublicAwardListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organiser = OrganiserRefSerializer()
    year = serializers.IntegerField()
    event = serializers.IntegerField(allow_null=True, help_text="相关活动 id")
    published_on = serializers.DateField()
    source = serializers.CharField()
    entry_count = serializers.IntegerField()


class PublicAwardListDetailSerializer(PublicAwardListSerializer):
    entries = AwardEntrySerializer(many=True)


class SignUpInSerializer(serializers.Serializer):
    certificates = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True,
                                         help_text="参展展示的证书编号（本单位持有、报名当天有效）")
    products = serializers.ListField(child=serializers.CharField(max_length=120), allow_empty=True,
                                     help_text="展示产品")
    booth = serializers.CharField(max_length=120, required=False, allow_blank=True, default="",
                                  help_text="联系人/展位需求")


class ParticipationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.IntegerField()
    entity = serializers.CharField()
    status = serializers.CharField(help_text="pending / approved / rejected")
    signed_up_on = serializers.DateField()
    products = serializers.ListField(child=serializers.CharField())
    certificates = serializers.ListField(child=serializers.CharField(), help_text="证书编号")


class DistrictRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class OutletSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="market_zone（市场专区）/ store_counter（商超专柜）")
    kind_label = serializers.CharField(source="get_kind_display")
    host_name = serializers.CharField()
    district = DistrictRefSerializer()
    address = serializers.CharField()
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)


class TrainingSerializer(serializers.Serializer):
    course = serializers.CharField()
    trained_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    organiser = serializers.CharField()


class SpecialistSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    employer = serializers.CharField()
    district = DistrictRefSerializer()
    registered_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)
    trainings = TrainingSerializer(many=True)
