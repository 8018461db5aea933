"""Forms of the working-day calendar pages. They parse; the services validate the rules."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from sanpin.core.widgets import DateInput

from .workdays import FIRST_YEAR, LAST_YEAR, MAX_WORKING_DAYS

# Dates may be separated by new lines, commas (also the Chinese ones), semicolons or spaces.
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def split_dates(text: str) -> list[str]:
    return [token for token in _SEPARATORS.split(text or "") if token]


def join_dates(values) -> str:
    return "\n".join(str(v) for v in values or [])


class DateListField(forms.CharField):
    """A text area of dates, one per line or comma-separated; each must read YYYY-MM-DD."""

    widget = forms.Textarea(attrs={"rows": 8, "class": "font-monospace", "spellcheck": "false"})

    def to_python(self, value):
        tokens = split_dates(super().to_python(value))
        parsed, bad = [], []
        for token in tokens:
            try:
                parsed.append(date.fromisoformat(token))
            except ValueError:
                bad.append(token)
        if bad:
            raise forms.ValidationError(
                _("以下日期格式有误（应为 YYYY-MM-DD）：%(dates)s"), params={"dates": "、".join(bad)}, code="invalid"
            )
        return parsed


class DeadlineForm(forms.Form):
    """The deadline calculator on the calendar page."""

    start = forms.DateField(
        label=_("起算日"),
        help_text=_("起算日本身不计入"),
        widget=DateInput(),
        error_messages={"required": _("请填写起算日"), "invalid": _("日期格式有误，应为 YYYY-MM-DD")},
    )
    working_days = forms.IntegerField(
        label=_("工作日数"),
        min_value=0,
        max_value=MAX_WORKING_DAYS,
        error_messages={
            "required": _("请填写工作日数"),
            "invalid": _("工作日数应为整数"),
            "min_value": _("工作日数不能为负数"),
            "max_value": _("工作日数不能超过 %(limit_value)s 个"),
        },
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("起算日应在 %(first)s 年至 %(last)s 年之间"), params={"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return start


class HolidayNoticeForm(forms.Form):
    """Enter or replace one year's State Council notice (放假安排通知)."""

    year = forms.IntegerField(
        label=_("年份"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": _("请填写年份"),
            "invalid": _("年份应为整数"),
            "min_value": _("年份不能早于 %(limit_value)s"),
            "max_value": _("年份不能晚于 %(limit_value)s"),
        },
    )
    title = forms.CharField(label=_("通知标题"), max_length=200, error_messages={"required": _("请填写通知标题")})
    document_no = forms.CharField(label=_("文号"), max_length=80, required=False,
                                  help_text=_("如“国办发明电〔2024〕12号”"))
    source_url = forms.URLField(label=_("来源网址"), max_length=200, required=False, assume_scheme="https",
                                error_messages={"invalid": _("请填写完整的网址")})
    published_on = forms.DateField(
        label=_("发布日期"), required=False,
        widget=DateInput(),
        error_messages={"invalid": _("日期格式有误，应为 YYYY-MM-DD")},
    )
    off_days = DateListField(
        label=_("放假日期"), required=False,
        help_text=_("每行一个日期，或用逗号分隔，格式 YYYY-MM-DD；可包含假期内的周末"),
    )
    workdays = DateListField(
        label=_("调休上班日期"), required=False,
        help_text=_("需要上班的周六、周日，每行一个日期，或用逗号分隔"),
    )

    def __init__(self, *args, year_fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if year_fixed:
            self.fields["year"].disabled = True
