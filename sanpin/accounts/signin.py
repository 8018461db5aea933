"""Signing in: who may, the answer to a locked-out client (page or API error body), and the
password + second-factor check behind the API token endpoint."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import match_token, user_has_device

from sanpin.core.errors import DomainError, PermissionDenied, ValidationFailed

from .choices import Role

API_PREFIX = "/api/"


class LockedOut(DomainError):
    """Too many failed sign-ins for this username from this address (django-axes)."""

    status = 429
    code = "locked_out"
    default_message = gettext_lazy("登录失败次数过多，该账号已被暂时锁定，请稍后再试")


def may_sign_in(user) -> bool:
    """Inactive accounts and the SYSTEM actor never sign in, whatever their password."""
    return bool(user and user.is_active and not user.is_system)


def is_system_admin(user) -> bool:
    return bool(user.is_superuser or Role.SYSTEM_ADMIN in user.roles)


def otp_enrolment_required(user) -> bool:
    """With SANPIN_REQUIRE_OTP_FOR_ADMINS on, a system administrator without a confirmed
    authenticator must enrol one before doing anything else."""
    if not getattr(settings, "SANPIN_REQUIRE_OTP_FOR_ADMINS", False):
        return False
    return is_system_admin(user) and not user_has_device(user, confirmed=True)


def _cooloff_minutes() -> int:
    return round(float(settings.AXES_COOLOFF_TIME) * 60)


def lockout_message() -> str:
    return _("登录失败次数过多，该账号已被暂时锁定，请 %(minutes)d 分钟后再试") % {"minutes": _cooloff_minutes()}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: API clients get the error body, browsers the lockout page."""
    if request.path_info.startswith(API_PREFIX):
        payload = {"code": LockedOut.code, "message": lockout_message(), "fields": {}}
        return JsonResponse(payload, status=LockedOut.status, json_dumps_params={"ensure_ascii": False})
    context = {"cooloff_minutes": _cooloff_minutes(), "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=LockedOut.status)


def authenticate_for_api(request, *, username: str, password: str, otp: str = ""):
    """The user behind a token request, or a DomainError with the field to correct.

    Goes through django.contrib.auth.authenticate with the plain HttpRequest so that
    django-axes counts failures and locks out exactly as for the sign-in page. A user with a
    confirmed authenticator must send the current code as `otp`: a token must not be a way
    around the second factor."""
    http_request = getattr(request, "_request", request)
    user = authenticate(http_request, username=username, password=password)
    if getattr(http_request, "axes_locked_out", False):
        raise LockedOut(lockout_message())
    if user is None or not may_sign_in(user):
        raise ValidationFailed(
            _("用户名或密码错误"), code="invalid_credentials", fields={"non_field_errors": [_("用户名或密码错误")]}
        )
    if user_has_device(user, confirmed=True):
        if not (otp or "").strip():
            raise ValidationFailed(
                _("该账号已启用动态验证码，请同时提交 otp"), code="otp_required",
                fields={"otp": [_("请填写动态验证码")]},
            )
        if match_token(user, otp.strip()) is None:
            raise ValidationFailed(_("动态验证码不正确"), code="otp_invalid", fields={"otp": [_("动态验证码不正确")]})
    elif otp_enrolment_required(user):
        raise PermissionDenied(_("系统管理员须先在网页上启用动态验证码"), code="otp_setup_required")
    return user
