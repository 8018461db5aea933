from rest_framework import serializers


class ImportInSerializer(serializers.Serializer):
    workbook = serializers.FileField(help_text="工作簿 .xlsx（“主体”“证书”两个工作表）")
    files = serializers.FileField(required=False, help_text="档案文件包 .zip")


class ProblemSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    column = serializers.CharField()
    reason = serializers.CharField()


class ReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    imported = serializers.BooleanField()
    entities = serializers.IntegerField()
    certificates = serializers.IntegerField()
    documents = serializers.IntegerField()
    problems = ProblemSerializer(many=True)


class RefusedSerializer(serializers.Serializer):
    """The error body of a real run with refused rows, with the rows listed."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    problems = ProblemSerializer(many=True)
