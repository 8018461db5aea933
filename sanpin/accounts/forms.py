"""Forms for signing in, the second factor and the user's own account, all in Chinese."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .services import user_set_password
from .signin import may_sign_in


class SignInForm(AuthenticationForm):
    """Username and password. The SYSTEM actor and inactive accounts are refused with the same
    message as a wrong password, so the form does not reveal which accounts exist."""

    error_messages = {
        "invalid_login": _("用户名或密码错误。请注意区分大小写。"),
        "inactive": _("用户名或密码错误。请注意区分大小写。"),
    }

    username = forms.CharField(
        label=_("用户名"), max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def confirm_login_allowed(self, user):
        if not may_sign_in(user):
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")


class OTPCodeForm(forms.Form):
    """The 6-digit code from the authenticator app."""

    code = forms.CharField(
        label=_("动态验证码"), max_length=8,
        widget=forms.TextInput(attrs={
            "autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*",
            "placeholder": "123456",
        }),
        error_messages={"required": _("请输入 6 位动态验证码")},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("动态验证码是 6 位数字"))
        return code


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)


class ChinesePasswordChangeForm(PasswordChangeForm):
    """Django's password change, saved through the audited service."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("原密码不正确，请重新输入。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }

    def save(self, commit=True):
        return user_set_password(actor=self.user, user=self.user, password=self.cleaned_data["new_password1"])
