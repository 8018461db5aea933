"""Sign-in, the second factor, the workbench and the user's own account page."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from sanpin.core.errors import ValidationFailed

from . import selectors
from .choices import STAFF_ROLES, Role
from .context_processors import nav_items_for
from .forms import ChinesePasswordChangeForm, OTPCodeForm, ProfileForm, SignInForm
from .services import otp_device_confirm, otp_devices_remove, user_update_profile

SETUP_KEY_SESSION = "sanpin_otp_setup_key"

# What each workbench link is for; links come from NAV_ITEMS, so only built pages appear.


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class SignInView(auth_views.LoginView):
    """Password first; a user with an authenticator then goes to the code prompt."""

    form_class = SignInForm
    template_name = "registration/login.html"

    def get_success_url(self):
        url = super().get_success_url()
        if user_has_device(self.request.user, confirmed=True):
            return f"{reverse('accounts:otp_verify')}?{urlencode({'next': url})}"
        return url


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET)."""


class OTPVerifyView(LoginRequiredMixin, View):
    """Asks for the current code after the password; until then other pages redirect here."""

    template_name = "accounts/otp_verify.html"

    def get(self, request):
        if request.user.is_verified() or not user_has_device(request.user, confirmed=True):
            return redirect(_safe_next(request, reverse("accounts:home")))
        return render(request, self.template_name, {"form": OTPCodeForm(), "next": _safe_next(request, "")})

    def post(self, request):
        form = OTPCodeForm(request.POST)
        if form.is_valid():
            # Each wrong code makes the device wait longer before the next try (django-otp throttling).
            throttled = all(
                not d.verify_is_allowed()[0] for d in TOTPDevice.objects.filter(user=request.user, confirmed=True)
            )
            device = None if throttled else match_token(request.user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                return redirect(_safe_next(request, reverse("accounts:home")))
            form.add_error("code", _("尝试过于频繁，请稍候几秒再试") if throttled else _("动态验证码不正确"))
        return render(request, self.template_name, {"form": form, "next": _safe_next(request, "")})


class OTPSetupView(LoginRequiredMixin, View):
    """Shows a new secret as a QR code and as text; the first correct code turns it on.
    The secret lives in the session until then, so abandoned set-ups leave nothing behind."""

    template_name = "accounts/otp_setup.html"

    def _context(self, request, form):
        key = request.session.get(SETUP_KEY_SESSION)
        if not key:
            key = request.session[SETUP_KEY_SESSION] = random_hex(20)
        device = TOTPDevice(user=request.user, key=key, name="")
        url = device.config_url
        return {
            "form": form,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=5, dark="#0f5132", omitsize=False),
            "secret": " ".join(_chunks(b32encode(bytes.fromhex(key)).decode(), 4)),
            "otpauth_url": url,
            "next": _safe_next(request, ""),
        }

    def get(self, request):
        if user_has_device(request.user, confirmed=True):
            messages.info(request, _("您已启用动态验证码。"))
            return redirect("accounts:profile")
        return render(request, self.template_name, self._context(request, OTPCodeForm()))

    def post(self, request):
        if user_has_device(request.user, confirmed=True):
            return redirect("accounts:profile")
        form = OTPCodeForm(request.POST)
        key = request.session.get(SETUP_KEY_SESSION)
        if form.is_valid() and key:
            try:
                device = otp_device_confirm(actor=request.user, key=key, code=form.cleaned_data["code"])
            except ValidationFailed as exc:
                for message in exc.fields.get("code", [exc.message]):
                    form.add_error("code", message)
            else:
                request.session.pop(SETUP_KEY_SESSION, None)
                otp_login(request, device)
                messages.success(request, _("动态验证码已启用。以后登录时，输入密码后还需输入手机上的 6 位验证码。"))
                return redirect(_safe_next(request, reverse("accounts:profile")))
        return render(request, self.template_name, self._context(request, form))


class OTPDisableView(LoginRequiredMixin, View):
    template_name = "accounts/otp_disable.html"

    def get(self, request):
        if not user_has_device(request.user, confirmed=True):
            return redirect("accounts:profile")
        return render(request, self.template_name, {"form": OTPCodeForm()})

    def post(self, request):
        form = OTPCodeForm(request.POST)
        if form.is_valid():
            try:
                otp_devices_remove(actor=request.user, user=request.user, code=form.cleaned_data["code"])
            except ValidationFailed as exc:
                for message in exc.fields.get("code", [exc.message]):
                    form.add_error("code", message)
            else:
                messages.success(request, _("动态验证码已停用。"))
                return redirect("accounts:profile")
        return render(request, self.template_name, {"form": form})


def _chunks(text, size):
    return [text[i:i + size] for i in range(0, len(text), size)]


class HomeView(LoginRequiredMixin, TemplateView):
    """The workbench: what the user's role reaches today and the pages they work with."""

    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        roles = user.roles
        pages = []
        for item in nav_items_for(user, ""):
            if item["url_name"] == "accounts:home":
                continue
            pages.append(item)
        context = super().get_context_data(**kwargs)
        context.update({
            "role_labels": [label for value, label in Role.choices if value in roles],
            "pages": pages,
            "is_staff_user": bool(roles & STAFF_ROLES),
            "has_second_factor": selectors.has_second_factor(user),
        })
        if context["is_staff_user"]:
            context["scope"] = selectors.staff_scope_summary(user)
        if Role.INSPECTOR in roles:
            context["qualifications"] = selectors.qualifications_of(user)
        if user.entity_id:
            entity = selectors.own_entity(user)
            context["entity"] = entity
            context["trademarks"] = selectors.entity_trademarks(user, entity) if entity else []
        return context


class ProfileView(LoginRequiredMixin, View):
    """我的账户: name and phone, password, second factor."""

    template_name = "accounts/profile.html"

    def _render(self, request, form):
        user = request.user
        context = {
            "form": form,
            "has_second_factor": selectors.has_second_factor(user),
            "role_labels": [label for value, label in Role.choices if value in user.roles],
        }
        return render(request, self.template_name, context)

    def get(self, request):
        user = request.user
        return self._render(request, ProfileForm(initial={"display_name": user.display_name, "phone": user.phone}))

    def post(self, request):
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                user_update_profile(actor=request.user, user=request.user, **form.cleaned_data)
            except ValidationFailed as exc:
                for name, errors in exc.fields.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(request, _("账户信息已保存。"))
                return redirect("accounts:profile")
        return self._render(request, form)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChinesePasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。"))
        return response
