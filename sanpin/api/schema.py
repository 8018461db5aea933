"""Schema pieces every app's API shares, so the OpenAPI document names one error body."""

from rest_framework import serializers


class ErrorBodySerializer(serializers.Serializer):
    """The body of every API answer ≥ 400 (see sanpin.api.errors)."""

    code = serializers.CharField(help_text="invalid, duplicate, not_authenticated, permission_denied, not_found, "
                                           "conflict, throttled, ...")
    message = serializers.CharField(help_text="中文说明")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="字段名 → 中文错误说明")

    class Meta:
        ref_name = "ErrorBody"
