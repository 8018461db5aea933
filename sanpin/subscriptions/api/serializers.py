"""Input and output shapes of subscriptions and their delivery log."""

from rest_framework import serializers

from ..choices import Channel
from ..forms import TARGET_KINDS
from ..models import Delivery, Subscription

CHANNELS_HELP = "inapp 站内消息；email 电子邮件；webhook Webhook 推送"


class SubscriptionInSerializer(serializers.Serializer):
    target_kind = serializers.ChoiceField(choices=TARGET_KINDS,
                                          help_text="certificate：按证书编号；entity：按统一社会信用代码")
    target = serializers.CharField(max_length=40, help_text="证书编号或统一社会信用代码")
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), allow_empty=False)
    webhook_url = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SubscribedEntitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()


class SubscriptionSerializer(serializers.ModelSerializer):
    target_kind = serializers.SerializerMethodField()
    entity = SubscribedEntitySerializer(allow_null=True, read_only=True)
    channels = serializers.ListField(child=serializers.CharField(), read_only=True, help_text=CHANNELS_HELP)

    class Meta:
        model = Subscription
        fields = ["id", "target_kind", "entity", "certificate_number", "channels", "webhook_url", "active",
                  "created_at", "cancelled_at"]
        read_only_fields = fields

    def get_target_kind(self, obj) -> str:
        return "entity" if obj.entity_id else "certificate"


class SubscriptionCreatedSerializer(SubscriptionSerializer):
    webhook_secret = serializers.CharField(read_only=True, help_text="签名密钥，仅在创建时返回一次")

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "webhook_secret"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.UUIDField(read_only=True)
    type = serializers.CharField(source="event.type", read_only=True)
    certificate_number = serializers.CharField(source="event.number", read_only=True)
    payload = serializers.JSONField(source="event.payload", read_only=True)
    channel = serializers.CharField(read_only=True, help_text=CHANNELS_HELP)
    status = serializers.CharField(read_only=True, help_text="queued 待发送；sent 已送达；failed 发送失败")

    class Meta:
        model = Delivery
        fields = ["id", "event_id", "type", "certificate_number", "payload", "channel", "status", "attempts",
                  "last_error", "response_code", "created_at", "last_attempt_at", "next_attempt_at", "sent_at"]
        read_only_fields = fields
