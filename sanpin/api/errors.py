"""One exception handler: every API error leaves as `{"code", "message", "fields"}`."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sanpin.core.errors import DomainError

DRF_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", "请先登录"),
    exceptions.AuthenticationFailed: ("authentication_failed", "身份验证失败"),
    exceptions.PermissionDenied: ("permission_denied", "您没有执行此操作的权限"),
    exceptions.NotFound: ("not_found", "未找到该记录，或不在您的管辖范围内"),
    exceptions.MethodNotAllowed: ("method_not_allowed", "不支持该请求方法"),
    exceptions.NotAcceptable: ("not_acceptable", "无法提供所请求的格式"),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "不支持的内容类型"),
    exceptions.Throttled: ("throttled", "请求过于频繁，请稍后再试"),
    exceptions.ParseError: ("parse_error", "请求内容无法解析"),
    exceptions.ValidationError: ("invalid", "输入有误，请检查标注的字段"),
}


def _flatten(detail):
    if isinstance(detail, dict):
        return {str(k): _messages(v) for k, v in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _messages(value):
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            out.extend(_messages(item) if isinstance(item, list | tuple | dict) else [str(item)])
        return out
    if isinstance(value, dict):
        return [f"{k}: {m}" for k, v in value.items() for m in _messages(v)]
    return [str(value)]


def body(code, message, fields=None):
    return {"code": code, "message": message, "fields": fields or {}}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(body("invalid", "输入有误，请检查标注的字段", fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    for cls in type(exc).__mro__:
        if cls in DRF_CODES:
            code, message = DRF_CODES[cls]
            break
    else:
        code, message = "error", "请求失败"
    fields = {}
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if set(fields) == {"non_field_errors"} and len(fields["non_field_errors"]) == 1:
            message = fields["non_field_errors"][0]
    elif isinstance(exc, exceptions.Throttled) and exc.wait:
        message = f"请求过于频繁，请 {int(exc.wait) + 1} 秒后再试"
    response.data = body(code, message, fields)
    return response
