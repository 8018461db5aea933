"""The second factor, enforced for every page in one place.

A middleware rather than a view mixin: staff pages live in many apps, and a page that forgot
the mixin would silently skip the second factor. Here every view is covered unless it is listed
as open (sign-in, sign-out, the code prompt, the public portal, the API docs).
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django_otp import user_has_device

from .signin import API_PREFIX, otp_enrolment_required

# Pages a signed-in user may open before giving the second factor.
OPEN_VIEWS = frozenset({
    "accounts:login", "accounts:logout", "accounts:otp_verify", "api-schema", "api-docs", "api-redoc",
})
OPEN_NAMESPACES = frozenset({"portal"})
ENROL_VIEWS = frozenset({"accounts:otp_setup"})


class SecondFactorMiddleware:
    """After the password, a user with a confirmed authenticator is sent to `accounts:otp_verify`
    until the session is verified; a system administrator who must enrol
    (SANPIN_REQUIRE_OTP_FOR_ADMINS) is sent to `accounts:otp_setup`. For the API such a
    half-signed-in session counts as anonymous (token requests are checked at the token
    endpoint instead). Must come after django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if view_name in OPEN_VIEWS or (match and OPEN_NAMESPACES & set(match.namespaces)):
            return None
        if user_has_device(user, confirmed=True):
            target = "accounts:otp_verify"
        elif otp_enrolment_required(user):
            if view_name in ENROL_VIEWS:
                return None
            target = "accounts:otp_setup"
        else:
            return None
        if request.path_info.startswith(API_PREFIX):
            request.user = AnonymousUser()
            return None
        return redirect_to_login(request.get_full_path(), reverse(target))
