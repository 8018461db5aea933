"""API shapes of the allowed-input lists: what the public search answers and what staff read."""

from rest_framework import serializers


class AllowedInputResidueLimitSerializer(serializers.Serializer):
    crop = serializers.CharField()
    crop_category = serializers.CharField(help_text="绿色食品产品类别代码，如 01")
    max_value = serializers.DecimalField(max_digits=12, decimal_places=6)
    unit = serializers.CharField(help_text="mg/kg 或 μg/kg")
    source_standard = serializers.CharField()
    effective_from = serializers.DateField(allow_null=True)
    effective_until = serializers.DateField(allow_null=True)
    is_demo = serializers.BooleanField(help_text="演示数据：未与依据标准逐条核对")


class AllowedInputListRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.CharField(allow_null=True, help_text="适用省级区划代码；全国清单为 null")
    issuer_name = serializers.CharField()
    source_document = serializers.CharField()
    effective_from = serializers.DateField()
    effective_until = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="draft / published / superseded / retired")


class PublicAllowedInputSerializer(serializers.Serializer):
    common_name = serializers.CharField()
    active_ingredient = serializers.CharField()
    kind = serializers.CharField(help_text="pesticide / fertilizer / veterinary_drug / feed / food_additive")
    category = serializers.CharField(help_text="农药类别，如 insecticide（杀虫剂）；可为空")
    category_label = serializers.CharField()
    restrictions = serializers.CharField()
    limits = AllowedInputResidueLimitSerializer(many=True, help_text="当日适用的残留限量（指定作物时仅该作物）")
    list = AllowedInputListRefSerializer(help_text="所在清单及其发布文件")


class AllowedInputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    common_name = serializers.CharField()
    active_ingredient = serializers.CharField()
    category = serializers.CharField()
    restrictions = serializers.CharField()
    limits = AllowedInputResidueLimitSerializer(many=True)


class AllowedInputListDetailSerializer(AllowedInputListRefSerializer):
    previous = serializers.IntegerField(allow_null=True)
    inputs = AllowedInputSerializer(many=True)


class AllowedInputsImportOutcomeSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    rows = serializers.IntegerField()
    new_inputs = serializers.IntegerField()
    limits = serializers.IntegerField()
    problems = serializers.ListField(child=serializers.CharField(), help_text="每一个错误行及原因")


class AllowedInputsImportInSerializer(serializers.Serializer):
    file = serializers.FileField()
