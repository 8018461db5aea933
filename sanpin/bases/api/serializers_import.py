from rest_framework import serializers


class BaseImportInSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="基地信息表 .xlsx（按模板填写，工作表“基地”）")


class BaseImportProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel 中的行号")
    column = serializers.CharField(help_text="列名（表头）")
    reason = serializers.CharField()


class BaseImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    total = serializers.IntegerField(help_text="文件中的数据行数")
    imported = serializers.IntegerField(help_text="写入的基地数（试运行为 0）")
    problems = BaseImportProblemSerializer(many=True)


class BaseImportRefusedSerializer(serializers.Serializer):
    """The error body when any row is refused, with every refused cell listed; nothing was written."""

    code = serializers.CharField(help_text="rows_refused；文件本身无法使用时为 invalid（无 problems）")
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    dry_run = serializers.BooleanField()
    total = serializers.IntegerField()
    imported = serializers.IntegerField()
    problems = BaseImportProblemSerializer(many=True)
