"""Output shape of an entity's credit file."""

from rest_framework import serializers


class CreditEntitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()


class CreditContributionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="事件类型，如 sampling_failed")
    kind_label = serializers.CharField()
    occurred_on = serializers.DateField()
    summary = serializers.CharField()
    points = serializers.FloatField(help_text="按半衰期衰减后的分值（负数为扣分）")


class CreditSerializer(serializers.Serializer):
    entity = CreditEntitySerializer()
    score = serializers.FloatField(help_text="0–100")
    grade = serializers.CharField(help_text="A、B、C 或 D")
    grade_label = serializers.CharField()
    rulebook_version = serializers.IntegerField()
    on = serializers.DateField(help_text="评价日期")
    events = CreditContributionSerializer(many=True, help_text="计入的事件，按影响大小排序（“什么影响了我的分数”）")
