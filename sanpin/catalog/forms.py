"""Forms of the catalog pages. They parse input; the services validate and write, and their
per-field errors are put back on the form with `add_service_errors`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.core.errors import ValidationFailed
from sanpin.core.views.forms import add_service_errors  # lives in core; still importable from here
from sanpin.core.widgets import DateInput

from .choices import EntityKind, NumberCodeBasis, RegionLevel
from .services import SIGNUP_KINDS


class RegionFilterForm(forms.Form):
    FLAG_CHOICES = [
        ("", _("全部")),
        ("poverty", _("脱贫县")),
        ("key", _("国家乡村振兴重点帮扶县")),
        ("any", _("任一标识")),
        ("number_code", _("有编号省份代码")),
    ]
    q = forms.CharField(label=_("名称或代码"), required=False, max_length=60)
    flag = forms.ChoiceField(label=_("标识"), choices=FLAG_CHOICES, required=False)


class RegionEditForm(forms.Form):
    """Province sequence code, or county fee-waiver flags, with the reason for the change."""

    number_code = forms.CharField(label=_("编号省份代码"), required=False, max_length=2,
                                  help_text=_("两位数字，01–50"))
    number_code_basis = forms.ChoiceField(
        label=_("省份代码依据"), required=False, choices=[("", "—"), *NumberCodeBasis.choices]
    )
    number_code_source = forms.CharField(label=_("省份代码来源"), required=False, max_length=255)
    poverty_exit_county = forms.BooleanField(label=_("脱贫县"), required=False)
    poverty_exit_year = forms.CharField(label=_("脱贫摘帽年份"), required=False, max_length=4)
    key_assistance_county = forms.BooleanField(label=_("国家乡村振兴重点帮扶县"), required=False)
    flags_source = forms.CharField(label=_("标识来源"), required=False, max_length=255,
                                   help_text=_("公告名称、文号和日期"))
    reason = forms.CharField(label=_("修改理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    PROVINCE_FIELDS = ("number_code", "number_code_basis", "number_code_source")
    COUNTY_FIELDS = ("poverty_exit_county", "poverty_exit_year", "key_assistance_county", "flags_source")

    def __init__(self, *args, region, **kwargs):
        self.region = region
        kwargs.setdefault("initial", {
            name: getattr(region, name) if getattr(region, name) is not None else ""
            for name in (*self.PROVINCE_FIELDS, *self.COUNTY_FIELDS)
        })
        super().__init__(*args, **kwargs)
        keep = {
            RegionLevel.PROVINCE: self.PROVINCE_FIELDS,
            RegionLevel.COUNTY: self.COUNTY_FIELDS,
        }.get(region.level, ())
        for name in list(self.fields):
            if name != "reason" and name not in keep:
                del self.fields[name]

    @property
    def has_editable_fields(self) -> bool:
        return len(self.fields) > 1

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}


class RegionImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件"))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 5 MB"))
        return upload


class EntityForm(forms.Form):
    """An organisation as agency staff enter it; `region` comes from the region picker."""

    name = forms.CharField(required=False, label=_("名称"), max_length=120)
    uscc = forms.CharField(required=False, label=_("统一社会信用代码"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "class": "font-monospace"}))
    kind = forms.ChoiceField(required=False, label=_("主体类型"), choices=EntityKind.choices)
    region = forms.CharField(label=_("所在县区"), required=False, widget=forms.HiddenInput)
    address = forms.CharField(required=False, label=_("地址"), max_length=200)
    legal_representative = forms.CharField(required=False, label=_("法定代表人"), max_length=60)
    contact_name = forms.CharField(required=False, label=_("联系人"), max_length=60)
    contact_phone = forms.CharField(required=False, label=_("联系电话"), max_length=30)
    email = forms.CharField(label=_("电子邮箱"), required=False, max_length=254)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class EntityEditForm(EntityForm):
    is_active = forms.BooleanField(label=_("有效"), required=False)
    reason = forms.CharField(label=_("修改说明"), required=False, max_length=255)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}


class EntityContactForm(forms.Form):
    """What an organisation's own applicant may keep current."""

    address = forms.CharField(required=False, label=_("地址"), max_length=200)
    contact_name = forms.CharField(required=False, label=_("联系人"), max_length=60)
    contact_phone = forms.CharField(required=False, label=_("联系电话"), max_length=30)
    email = forms.CharField(label=_("电子邮箱"), required=False, max_length=254)


class TrademarkForm(forms.Form):
    name = forms.CharField(label=_("商标名称"), max_length=80)
    registration_no = forms.CharField(label=_("注册号"), max_length=30)
    nice_class = forms.IntegerField(label=_("类别"), required=False, min_value=1, max_value=45)
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DateInput())


class SignupForm(forms.Form):
    """A new applicant's account and organisation."""

    username = forms.CharField(required=False, label=_("用户名"), max_length=150,
                               help_text=_("登录用，字母、数字或 @ . + - _"),
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password1 = forms.CharField(required=False, label=_("密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("至少10位，不能全为数字，不能过于常见或与用户名相近"))
    password2 = forms.CharField(required=False, label=_("确认密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    display_name = forms.CharField(required=False, label=_("您的姓名"), max_length=60)
    phone = forms.CharField(required=False, label=_("手机号"), max_length=20)

    name = forms.CharField(required=False, label=_("单位名称"), max_length=120)
    uscc = forms.CharField(required=False, label=_("统一社会信用代码"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "class": "font-monospace"}))
    kind = forms.ChoiceField(required=False, label=_("主体类型"), choices=[(k.value, k.label) for k in SIGNUP_KINDS])
    region = forms.CharField(label=_("所在县区"), required=False, widget=forms.HiddenInput)
    address = forms.CharField(required=False, label=_("地址"), max_length=200)
    legal_representative = forms.CharField(required=False, label=_("法定代表人"), max_length=60)
    contact_name = forms.CharField(required=False, label=_("联系人"), max_length=60)
    contact_phone = forms.CharField(required=False, label=_("联系电话"), max_length=30)
    email = forms.CharField(label=_("电子邮箱"), required=False, max_length=254)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data["password1"] != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data

    def add_service_errors(self, exc: ValidationFailed) -> None:
        fields = dict(exc.fields)
        if "password" in fields:
            fields["password1"] = fields.pop("password")
        add_service_errors(self, ValidationFailed(exc.message, fields=fields))

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("password1", "password2")}
        data["password"] = self.cleaned_data["password1"]
        return data
