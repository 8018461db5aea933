"""Forms of the market pages. They only parse input; the services validate and refuse with the
Chinese messages that end up on the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.forms import SignupForm
from sanpin.catalog.models import Region
from sanpin.certificates.choices import Scheme
from sanpin.core.widgets import DateInput

from .choices import BuyerType, ListingStatus, ProductField

MONTHS = [(m, _("%(m)d月") % {"m": m}) for m in range(1, 13)]


NATIONWIDE = _("全国")


def area_choices(blank=NATIONWIDE) -> list[tuple[str, str]]:
    """Provinces and, under each, its cities: the levels the market filters by."""
    rows = (Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.CITY], is_active=True)
            .order_by("code").values_list("code", "name", "level"))
    head = [("", blank)] if blank is not None else []
    return [*head, *((code, name if level == RegionLevel.PROVINCE else f"　{name}") for code, name, level in rows)]


class ListingSearchForm(forms.Form):
    q = forms.CharField(label=_("产品、单位名称或证书编号"), max_length=100, required=False)
    field = forms.ChoiceField(label=_("产品领域"), choices=[("", _("全部")), *ProductField.choices], required=False)
    scheme = forms.ChoiceField(label=_("标志"), choices=[("", _("全部")), *Scheme.choices], required=False)
    region = forms.ChoiceField(label=_("产地"), required=False)
    month = forms.TypedChoiceField(label=_("供应月份"), choices=[("", _("不限")), *MONTHS], coerce=int,
                                   empty_value=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = area_choices()


class DealerSearchForm(forms.Form):
    q = forms.CharField(label=_("名称"), max_length=100, required=False)
    buyer_type = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *BuyerType.choices], required=False)
    field = forms.ChoiceField(label=_("采购产品领域"), choices=[("", _("全部")), *ProductField.choices], required=False)
    region = forms.ChoiceField(label=_("服务地区"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = area_choices()


class ProfileFieldsMixin(forms.Form):
    """The buyer-profile inputs, shared by sign-up and the profile page."""

    buyer_type = forms.ChoiceField(label=_("采购商类型"), choices=[("", _("请选择")), *BuyerType.choices],
                                   required=False)
    product_fields = forms.MultipleChoiceField(label=_("采购产品领域"), choices=ProductField.choices, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    serves_nationwide = forms.BooleanField(label=_("面向全国采购/销售"), required=False)
    regions = forms.MultipleChoiceField(label=_("服务地区"), required=False,
                                        help_text=_("可多选（按住 Ctrl 键）；面向全国时可不选"),
                                        widget=forms.SelectMultiple(attrs={"size": 8}))
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("经营范围、采购规模、渠道等"))
    listed = forms.BooleanField(label=_("列入公开的经销商名录"), required=False,
                                help_text=_("名录公开单位名称、类型、采购领域和服务地区；联系方式仅向获证单位和工作人员显示"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = area_choices(blank=None)

    def profile_data(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("buyer_type", "product_fields", "serves_nationwide", "regions",
                                              "description", "listed")}


class BuyerProfileForm(ProfileFieldsMixin):
    pass


class BuyerSignupForm(ProfileFieldsMixin, SignupForm):
    """A new buyer's account, organisation and profile. The organisation kind is always
    收购者/批发市场, so the applicant form's kind is dropped."""

    kind = None


class ListingForm(forms.Form):
    # Any value reaches the service, which refuses another organisation's or a lapsed certificate.
    certificate = forms.CharField(label=_("证书"), required=False, widget=forms.Select,
                                  help_text=_("只能选择本单位当前有效的证书；产品和标志随证书确定"))
    product_field = forms.ChoiceField(label=_("产品领域"), choices=[("", _("请选择")), *ProductField.choices],
                                      required=False)
    supply_from_month = forms.TypedChoiceField(label=_("供应期起"), choices=MONTHS, coerce=int, required=False)
    supply_to_month = forms.TypedChoiceField(label=_("供应期止"), choices=MONTHS, coerce=int, required=False,
                                             help_text=_("跨年供应如 11 月至次年 2 月；全年供应选 1 月至 12 月"))
    quantity = forms.CharField(label=_("可供数量"), required=False, max_length=20)
    unit = forms.CharField(label=_("单位"), required=False, max_length=20, help_text=_("如 吨、公斤、箱"))
    packaging = forms.CharField(label=_("包装规格"), required=False, max_length=120,
                                help_text=_("如 5kg/袋、20kg/箱、散装"))
    region = forms.CharField(label=_("产地"), required=False, widget=forms.HiddenInput)
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=60)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=30)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("品质特点、起订量、物流方式等"))

    def __init__(self, *args, certificates=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["certificate"]
        else:
            self.fields["certificate"].widget.choices = [("", _("请选择"))] + [
                (str(c.pk), f"{c.number} · {c.product_name}（{c.get_scheme_display()}）") for c in certificates or []]

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class TakeDownForm(forms.Form):
    reason = forms.CharField(label=_("下架理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InquiryForm(forms.Form):
    quantity = forms.CharField(label=_("意向数量"), required=False, max_length=20)
    wanted_by = forms.DateField(label=_("期望到货日期"), required=False, widget=DateInput(),
                                help_text=_("可不填"))
    message = forms.CharField(label=_("询价内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("规格、价格、交货地点等"))


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("答复"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("产品、单位或证书编号"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), *ListingStatus.choices]
