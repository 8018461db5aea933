"""Working-day calendar pages: the year view with the deadline calculator (all staff), the list of
holiday notices (all staff) and entering or replacing a year's notice (national editors)."""

import calendar as pycalendar

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from sanpin.accounts.choices import STAFF_ROLES
from sanpin.core import workdays
from sanpin.core.calendar_services import NOTICE_EDITOR_ROLES, can_edit_notices, holiday_notice_save
from sanpin.core.errors import ValidationFailed
from sanpin.core.forms import DeadlineForm, HolidayNoticeForm, join_dates
from sanpin.core.models import HolidayNotice
from sanpin.core.workdays import FIRST_YEAR, LAST_YEAR, DayKind

from .mixins import RoleRequiredMixin

WEEKDAY_HEADERS = ["一", "二", "三", "四", "五", "六", "日"]


def _month_grid(year: int, month: int, kinds: dict, today) -> list[list[dict]]:
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([
            {"date": day, "in_month": day.month == month, "kind": kinds.get(day), "today": day == today}
            if day.month == month else {"in_month": False}
            for day in week
        ])
    return weeks


class CalendarView(RoleRequiredMixin, TemplateView):
    roles = STAFF_ROLES
    template_name = "core/calendar.html"

    def _year(self):
        raw = self.request.GET.get("year")
        today = timezone.localdate()
        if not raw:
            return today.year, None
        try:
            return workdays.check_year(int(raw)), None
        except (ValueError, ValidationFailed):
            return today.year, _("年份应在 %(first)d 至 %(last)d 之间，已显示今年") % {
                "first": FIRST_YEAR, "last": LAST_YEAR}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        year, year_error = self._year()
        snapshot = workdays.current_snapshot()
        kinds = dict(workdays.days_of_year(year, snapshot=snapshot))
        notice = HolidayNotice.objects.filter(year=year).first()
        last_year = max([today.year + 1, *snapshot.years])
        context.update(
            year=year,
            year_error=year_error,
            notice=notice,
            provisional_reason="" if notice else workdays.provisional_reason([year]),
            months=[
                {"number": m, "weeks": _month_grid(year, m, kinds, today)} for m in range(1, 13)
            ],
            weekday_headers=WEEKDAY_HEADERS,
            working_day_count=sum(1 for k in kinds.values() if k in (DayKind.WORKDAY, DayKind.MAKEUP)),
            holiday_count=sum(1 for d, k in kinds.items() if k == DayKind.HOLIDAY and d.weekday() < 5),
            makeup_count=sum(1 for k in kinds.values() if k == DayKind.MAKEUP),
            year_options=range(last_year, FIRST_YEAR - 1, -1),
            previous_year=year - 1 if year > FIRST_YEAR else None,
            next_year=year + 1 if year < LAST_YEAR else None,
            can_edit=can_edit_notices(self.request.user),
            **self._calculator(),
        )
        return context

    def _calculator(self):
        asked = "start" in self.request.GET or "working_days" in self.request.GET
        form = DeadlineForm(self.request.GET if asked else None)
        result = None
        if asked and form.is_valid():
            try:
                result = workdays.add_working_days(form.cleaned_data["start"], form.cleaned_data["working_days"])
            except ValidationFailed as exc:
                for field, errors in exc.fields.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
        weekday = f"周{WEEKDAY_HEADERS[result.date.weekday()]}" if result else ""
        return {"deadline_form": form, "deadline_result": result, "deadline_weekday": weekday}


class HolidayListView(RoleRequiredMixin, ListView):
    roles = STAFF_ROLES
    template_name = "core/holiday_list.html"
    context_object_name = "notices"
    paginate_by = 50

    def get_queryset(self):
        return HolidayNotice.objects.select_related("entered_by").order_by("-year")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_edit_notices(self.request.user)
        known = set(HolidayNotice.objects.values_list("year", flat=True))
        next_year = timezone.localdate().year + 1
        context["missing_next_year"] = next_year if next_year not in known else None
        return context


class HolidayEditView(RoleRequiredMixin, FormView):
    """Enter a year's notice (no year in the URL) or replace one (year in the URL).

    Saving recomputes the provisional deadlines of that year (see holiday_notice_save)."""

    roles = NOTICE_EDITOR_ROLES
    template_name = "core/holiday_edit.html"
    form_class = HolidayNoticeForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.year = kwargs.get("year")
        if self.year is not None and not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise Http404(_("年份超出范围"))
        self.notice = HolidayNotice.objects.filter(year=self.year).first() if self.year else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["year_fixed"] = self.year is not None
        return kwargs

    def get_initial(self):
        if self.notice:
            n = self.notice
            return {
                "year": n.year, "title": n.title, "document_no": n.document_no, "source_url": n.source_url,
                "published_on": n.published_on, "off_days": join_dates(n.off_days),
                "workdays": join_dates(n.workdays),
            }
        year = self.year or (self.request.GET.get("year") or "").strip()
        initial = {"year": self.year or year}
        if str(year).isdigit():
            initial["title"] = _("国务院办公厅关于%(year)s年部分节假日安排的通知") % {"year": year}
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            outcome = holiday_notice_save(
                actor=self.request.user,
                year=data["year"],
                title=data["title"],
                document_no=data["document_no"],
                source_url=data["source_url"],
                published_on=data["published_on"],
                off_days=data["off_days"],
                workdays=data["workdays"],
            )
        except ValidationFailed as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.message)
            return self.form_invalid(form)
        if not outcome.changed:
            messages.info(self.request, _("%(year)d 年节假日安排没有变化") % {"year": outcome.notice.year})
        else:
            text = _("已保存 %(year)d 年节假日安排") % {"year": outcome.notice.year}
            if outcome.recomputed:
                text += _("，已重算 %(count)d 个相关时限") % {"count": outcome.recomputed}
            messages.success(self.request, text)
        return redirect(f"{reverse('core:calendar')}?year={outcome.notice.year}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(year=self.year, notice=self.notice)
        return context
