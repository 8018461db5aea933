"""Forms of the staff credit pages: the filter of the entity list, the day and rulebook version a
credit file is seen on, a manual event, and a new rulebook version. The services validate the
content (sanpin.credit.services, rulebook.validate) and name what is wrong in Chinese; the forms
only turn the inputs into the values the services take."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.core.views.forms import add_service_errors
from sanpin.core.widgets import DateInput

from .choices import GRADES_ABOVE_D, MANUAL_KINDS, CreditKind, Grade


class StandingFilterForm(forms.Form):
    q = forms.CharField(label=_("主体名称或统一社会信用代码"), max_length=100, required=False)
    grade = forms.ChoiceField(label=_("等级"), choices=[("", _("全部")), *Grade.choices], required=False)
    region = forms.ChoiceField(label=_("地区"), required=False)

    def __init__(self, *args, region_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部")), *region_choices]


class CreditFileForm(forms.Form):
    """The day and the rulebook version a credit file is seen on (today and the version then in
    force by default)."""

    on = forms.DateField(label=_("评价日期"), required=False, widget=DateInput())
    version = forms.TypedChoiceField(label=_("规则版本"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [("", _("当日施行的版本")),
                                          *((v.version, f"v{v.version}（{v.effective_from:%Y-%m-%d} 起）")
                                            for v in versions)]


class CreditEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[("", "—")] + [
        (kind.value, kind.label) for kind in CreditKind if kind in MANUAL_KINDS], required=False)
    occurred_on = forms.DateField(label=_("发生日期"), required=False, widget=DateInput())
    summary = forms.CharField(label=_("事由"), required=False, max_length=300,
                              help_text=_("将显示在信用档案中，如“获评省级农业产业化龙头企业”"))
    evidence = forms.CharField(label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("文件名称、文号或材料"))


def _number(value: Decimal):
    """A form's Decimal as the JSON number the rulebook stores (an int when whole)."""
    return int(value) if value == value.to_integral_value() else float(value)


class RulebookForm(forms.Form):
    """A new rulebook version: every field, pre-filled from the version in force."""

    effective_from = forms.DateField(label=_("生效日期"), widget=DateInput(), help_text=_("今天或以后"))
    base_score = forms.DecimalField(label=_("基础分"), max_digits=5, decimal_places=1)
    half_life_days = forms.IntegerField(label=_("半衰期（天）"), help_text=_("事件影响每经过一个半衰期减半"))
    note = forms.CharField(label=_("修订说明"), widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("本次修订的内容与依据"))
    site_inspection_grades = forms.MultipleChoiceField(
        label=_("申报时加做信用现场检查的等级"), choices=Grade.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    block_below_score = forms.DecimalField(label=_("禁止新申请：分数低于"), max_digits=5, decimal_places=1)
    block_days = forms.IntegerField(label=_("禁止新申请：自最近不良事件起天数"))
    waiver_grades = forms.MultipleChoiceField(
        label=_("续展可免现场检查的等级"), choices=Grade.choices, required=False, widget=forms.CheckboxSelectMultiple)
    waiver_clean_years = forms.IntegerField(label=_("续展免现场检查：无不良事件年数"))

    WEIGHT_PREFIX, THRESHOLD_PREFIX, SAMPLING_PREFIX = "w_", "t_", "s_"
    # Service error keys → where the message is shown.
    GROUPS = {"weights": "weights", "thresholds": "thresholds", "sampling_weights": "sampling_weights",
              "effects": "effects"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in CreditKind:
            self.fields[self.WEIGHT_PREFIX + kind.value] = forms.DecimalField(
                label=kind.label, max_digits=5, decimal_places=1)
        for grade in GRADES_ABOVE_D:
            self.fields[self.THRESHOLD_PREFIX + grade] = forms.DecimalField(
                label=_("%s 级不低于") % grade, max_digits=5, decimal_places=1)
        for grade in Grade.values:
            self.fields[self.SAMPLING_PREFIX + grade] = forms.DecimalField(
                label=_("%s 级") % grade, max_digits=5, decimal_places=2)
        self.group_errors: dict[str, list[str]] = {}

    @classmethod
    def initial_from(cls, rulebook, *, effective_from) -> dict:
        effects = rulebook.effects or {}
        block = effects.get("block_new_applications") or {}
        waiver = effects.get("renewal_inspection_waiver") or {}
        initial = {
            "effective_from": effective_from, "base_score": rulebook.base_score,
            "half_life_days": rulebook.half_life_days,
            "site_inspection_grades": effects.get("site_inspection_grades", []),
            "block_below_score": block.get("below_score"), "block_days": block.get("days"),
            "waiver_grades": waiver.get("grades", []), "waiver_clean_years": waiver.get("clean_years"),
        }
        initial.update({cls.WEIGHT_PREFIX + k: v for k, v in (rulebook.weights or {}).items()})
        initial.update({cls.THRESHOLD_PREFIX + g: v for g, v in (rulebook.thresholds or {}).items()})
        initial.update({cls.SAMPLING_PREFIX + g: v for g, v in (rulebook.sampling_weights or {}).items()})
        return initial

    def weight_fields(self):
        return [self[self.WEIGHT_PREFIX + kind.value] for kind in CreditKind]

    def threshold_fields(self):
        return [self[self.THRESHOLD_PREFIX + grade] for grade in GRADES_ABOVE_D]

    def sampling_fields(self):
        return [self[self.SAMPLING_PREFIX + grade] for grade in Grade.values]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "effective_from": data["effective_from"], "base_score": data["base_score"],
            "half_life_days": data["half_life_days"], "note": data["note"],
            "weights": {kind.value: _number(data[self.WEIGHT_PREFIX + kind.value]) for kind in CreditKind},
            "thresholds": {g: _number(data[self.THRESHOLD_PREFIX + g]) for g in GRADES_ABOVE_D},
            "sampling_weights": {g: _number(data[self.SAMPLING_PREFIX + g]) for g in Grade.values},
            "effects": {
                "site_inspection_grades": list(data["site_inspection_grades"]),
                "block_new_applications": {"below_score": _number(data["block_below_score"]),
                                           "days": data["block_days"]},
                "renewal_inspection_waiver": {"grades": list(data["waiver_grades"]),
                                              "clean_years": data["waiver_clean_years"]},
            },
        }

    def add_service_errors(self, exc) -> None:
        """Messages about a group of fields (all weights, the thresholds, …) go above that group;
        the others beside their field."""
        grouped = {name: messages for name, messages in exc.fields.items() if name in self.GROUPS}
        for name, messages in grouped.items():
            self.group_errors.setdefault(self.GROUPS[name], []).extend(messages)
        rest = {name: messages for name, messages in exc.fields.items() if name not in self.GROUPS}
        if rest or not exc.fields:
            exc.fields = rest
            add_service_errors(self, exc)
