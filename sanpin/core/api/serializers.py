"""Calendar API: input serializers parse query parameters, output serializers document answers."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sanpin.core.models import HolidayNotice
from sanpin.core.workdays import FIRST_YEAR, LAST_YEAR, MAX_WORKING_DAYS, DayKind

_DATE_ERRORS = {
    "required": _("请填写起算日期（YYYY-MM-DD）"),
    "invalid": _("日期格式有误，应为 YYYY-MM-DD"),
    "null": _("请填写起算日期（YYYY-MM-DD）"),
}


class DeadlineQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="起算日（不计入），YYYY-MM-DD", error_messages=_DATE_ERRORS)
    working_days = serializers.IntegerField(
        help_text=f"工作日数，0–{MAX_WORKING_DAYS}",
        min_value=0,
        max_value=MAX_WORKING_DAYS,
        error_messages={
            "required": _("请填写工作日数"),
            "invalid": _("工作日数应为整数"),
            "min_value": _("工作日数不能为负数"),
            "max_value": format_lazy(_("工作日数不能超过 {max} 个"), max=MAX_WORKING_DAYS),
            "max_string_length": _("工作日数应为整数"),
        },
    )


class DeadlineSerializer(serializers.Serializer):
    start = serializers.DateField()
    working_days = serializers.IntegerField()
    deadline = serializers.DateField(help_text="start 之后第 working_days 个工作日")
    provisional = serializers.BooleanField(help_text="计算跨入尚未录入节假日安排的年份时为 true")
    reason = serializers.CharField(required=False, help_text="仅在 provisional 为 true 时出现")


class HolidayNoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = HolidayNotice
        fields = [
            "year", "title", "document_no", "source_url", "published_on", "off_days", "workdays",
            "origin", "updated_at",
        ]
        extra_kwargs = {
            "off_days": {"help_text": "放假日期（YYYY-MM-DD），可含假期内的周末"},
            "workdays": {"help_text": "调休上班的周六、周日（YYYY-MM-DD）"},
        }


_YEAR_RANGE = format_lazy(_("年份应在 {first} 至 {last} 之间"), first=FIRST_YEAR, last=LAST_YEAR)


class DaysQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        help_text=f"年份，{FIRST_YEAR}–{LAST_YEAR}",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": _("请填写年份"),
            "invalid": _("年份应为整数"),
            "min_value": _YEAR_RANGE,
            "max_value": _YEAR_RANGE,
            "max_string_length": _("年份应为整数"),
        },
    )


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    working = serializers.BooleanField()
    kind = serializers.ChoiceField(
        choices=[DayKind.HOLIDAY.value, DayKind.MAKEUP.value],
        help_text="holiday：周一至周五放假；makeup：周六、周日调休上班",
    )


class CalendarYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    has_notice = serializers.BooleanField()
    provisional = serializers.BooleanField(help_text="该年尚无节假日安排，仅按周末计算")
    reason = serializers.CharField(required=False)
    working_day_count = serializers.IntegerField(help_text="该年工作日总数")
    notice = HolidayNoticeSerializer(allow_null=True)
    days = DaySerializer(many=True, help_text="与“周一至周五上班、周末休息”不同的日期")


class JobSerializer(serializers.Serializer):
    """A background job's status and progress (live while it runs), and its result when done."""

    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="bases.import, bases.export, ...")
    title = serializers.CharField()
    status = serializers.CharField(help_text="queued / running / done / failed")
    status_label = serializers.CharField()
    done = serializers.IntegerField(help_text="已处理行数")
    total = serializers.IntegerField(help_text="总行数（开始读取文件前为 0）")
    percent = serializers.IntegerField()
    stage = serializers.CharField(help_text="当前阶段，如“正在校验”")
    finished = serializers.BooleanField()
    error = serializers.CharField(help_text="失败原因（失败时）")
    result = serializers.JSONField(allow_null=True, help_text="完成后的结果：行数、导入数、未通过的行（前 500 条）等")
    download = serializers.CharField(allow_null=True, help_text="结果文件的下载地址（导出文件或未通过校验的行）")
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
