"""Working-day arithmetic, the holiday-notice services and the load_holidays command."""

import time
from datetime import date, timedelta

import chinese_calendar
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from sanpin.core import workdays
from sanpin.core.calendar_services import (
    deadline_create,
    deadlines_recompute_provisional,
    deadlines_recomputed,
    holiday_notice_save,
)
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanpin.core.management.commands.load_holidays import package_years
from sanpin.core.models import AuditEvent, Deadline, HolidayNotice

# The package data without the database: lets hypothesis run thousands of cases quickly.
PACKAGE = workdays.Snapshot.build(package_years())
PACKAGE_END = date(2026, 12, 31)


@pytest.fixture
def holidays(db):
    call_command("load_holidays", verbosity=0)


def notice_2027(actor, **overrides):
    """A 2027 notice as an editor would enter it (New Year's Day 2027 is a Friday)."""
    fields = {
        "actor": actor,
        "year": 2027,
        "title": "国务院办公厅关于2027年部分节假日安排的通知",
        "off_days": ["2027-01-01"],
        "workdays": [],
    }
    return holiday_notice_save(**{**fields, **overrides})


# --- the calendar of 2025 and 2026 ---------------------------------------------------------------


def test_national_day_2025_is_off_and_the_makeup_saturday_works(holidays):
    assert workdays.is_working_day(date(2025, 10, 11))  # Saturday, 调休上班
    for day in range(1, 9):
        assert not workdays.is_working_day(date(2025, 10, day))
    assert workdays.is_working_day(date(2025, 10, 9))


def test_spring_festival_2026(holidays):
    assert workdays.is_working_day(date(2026, 2, 14))  # Saturday, 调休上班
    for day in range(15, 24):
        assert not workdays.is_working_day(date(2026, 2, day))
    assert workdays.is_working_day(date(2026, 2, 24))
    assert workdays.is_working_day(date(2026, 2, 28))  # Saturday, 调休上班


def test_five_working_days_after_30_september_2025_is_14_october(holidays):
    result = workdays.add_working_days(date(2025, 9, 30), 5)
    assert result.date == date(2025, 10, 14)
    assert not result.provisional and result.reason == ""


def test_start_is_not_counted_and_zero_days_is_the_start(holidays):
    assert workdays.add_working_days(date(2025, 10, 4), 0).date == date(2025, 10, 4)
    assert workdays.add_working_days(date(2025, 10, 10), 1).date == date(2025, 10, 11)


def test_working_days_between_counts_the_half_open_span(holidays):
    assert workdays.working_days_between(date(2025, 9, 30), date(2025, 10, 14)).count == 5
    assert workdays.working_days_between(date(2025, 10, 1), date(2025, 10, 1)).count == 0
    assert workdays.working_days_between(date(2025, 1, 1), date(2025, 12, 31)).count == 248


# --- a year without a notice ---------------------------------------------------------------------


def test_a_count_into_a_year_without_notice_is_provisional_with_a_reason(holidays):
    result = workdays.add_working_days(date(2026, 12, 28), 5)
    # 29, 30, 31 December, then 1 January 2027 (a Friday, counted: weekends only) and 4 January.
    assert result.date == date(2027, 1, 4)
    assert result.provisional
    assert result.reason == "2027 年节假日安排尚未发布，按周末计算，待通知发布后重算"


def test_a_count_that_stays_in_known_years_is_not_provisional_even_near_the_edge(holidays):
    assert not workdays.add_working_days(date(2026, 12, 1), 20).provisional
    assert not workdays.working_days_between(date(2026, 1, 1), date(2026, 12, 31)).provisional
    assert workdays.working_days_between(date(2026, 12, 31), date(2027, 1, 4)).provisional


def test_several_missing_years_are_named_together(db):
    result = workdays.add_working_days(date(2027, 12, 1), 30)
    assert result.unknown_years == (2027, 2028)
    assert result.reason.startswith("2027、2028 年节假日安排尚未发布")


def test_without_any_notice_only_weekends_are_off(db):
    assert workdays.is_working_day(date(2025, 10, 1))
    assert not workdays.is_working_day(date(2025, 10, 11))


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        (lambda: workdays.add_working_days(date(2025, 1, 1), -1), "working_days", "不能为负数"),
        (lambda: workdays.add_working_days(date(2025, 1, 1), 1001), "working_days", "不能超过 1000"),
        (lambda: workdays.add_working_days(date(2025, 1, 1), 2.5), "working_days", "整数"),
        (lambda: workdays.add_working_days(date(2025, 1, 1), True), "working_days", "整数"),
        (lambda: workdays.add_working_days(date(2003, 12, 31), 1), "start", "2004"),
        (lambda: workdays.add_working_days("2025-01-01", 1), "start", "YYYY-MM-DD"),
        (lambda: workdays.add_working_days(date(2100, 1, 1), 1), "start", "2099"),
        (lambda: workdays.working_days_between(date(2025, 2, 1), date(2025, 1, 1)), "end", "不能早于"),
        (lambda: workdays.is_working_day(date(1999, 1, 1)), "day", "2004"),
    ],
)
def test_bad_input_is_refused_naming_the_field(db, call, field, message):
    with pytest.raises(ValidationFailed) as caught:
        call()
    assert field in caught.value.fields
    assert message in caught.value.fields[field][0]


# --- speed and caching ---------------------------------------------------------------------------


def test_the_table_is_read_once_not_per_day(holidays, django_assert_num_queries):
    workdays.add_working_days(date(2025, 1, 1), 1)  # warm the process snapshot
    with django_assert_num_queries(0):
        for start in (date(2025, 1, 1), date(2025, 9, 30), date(2026, 2, 1)):
            workdays.add_working_days(start, 20)
        workdays.working_days_between(date(2004, 1, 1), date(2026, 12, 31))
        workdays.is_working_day(date(2025, 10, 11))


def test_long_counts_are_quick(holidays):
    workdays.add_working_days(date(2025, 1, 1), 1)
    began = time.perf_counter()
    for _ in range(200):
        workdays.add_working_days(date(2004, 1, 5), 1000)
    assert time.perf_counter() - began < 1.0


def test_saving_a_notice_is_seen_by_the_next_computation(holidays, users):
    assert workdays.is_working_day(date(2027, 1, 1))
    notice_2027(users["national"])
    assert not workdays.is_working_day(date(2027, 1, 1))
    assert not workdays.add_working_days(date(2026, 12, 28), 5).provisional


# --- properties ----------------------------------------------------------------------------------

dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=400)


def walk(start, n, is_working):
    day = start
    while n:
        day += timedelta(days=1)
        n -= is_working(day)
    return day


@settings(max_examples=300, deadline=None)
@given(start=dates, n=counts)
def test_the_result_is_a_working_day_and_counts_back_to_n(start, n):
    result = workdays.add_working_days(start, n, snapshot=PACKAGE)
    if n:
        assert PACKAGE.is_working_day(result.date)
        assert result.date > start
    assert workdays.working_days_between(start, result.date, snapshot=PACKAGE).count == n
    assert result.provisional == (n > 0 and result.date > PACKAGE_END)


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=399))
def test_more_working_days_is_strictly_later(start, n):
    assert (
        workdays.add_working_days(start, n + 1, snapshot=PACKAGE).date
        > workdays.add_working_days(start, n, snapshot=PACKAGE).date
    )


@settings(max_examples=120, deadline=None)
@given(start=st.dates(min_value=date(2004, 1, 1), max_value=date(2025, 6, 30)), n=st.integers(0, 300))
def test_the_result_agrees_with_the_chinese_calendar_package(start, n):
    expected = walk(start, n, chinese_calendar.is_workday)
    assert workdays.add_working_days(start, n, snapshot=PACKAGE).date == expected


@settings(max_examples=300, deadline=None)
@given(a=dates, b=dates)
def test_counting_a_span_equals_counting_day_by_day(a, b):
    a, b = min(a, b), max(a, b)
    expected = sum(PACKAGE.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))
    assert workdays.working_days_between(a, b, snapshot=PACKAGE).count == expected


# --- the load_holidays command -------------------------------------------------------------------


def test_load_holidays_creates_one_notice_per_year_quickly(db):
    began = time.perf_counter()
    call_command("load_holidays", verbosity=0)
    assert time.perf_counter() - began < 3.0
    assert list(HolidayNotice.objects.order_by("year").values_list("year", flat=True)) == list(range(2004, 2027))
    n2025 = HolidayNotice.objects.get(year=2025)
    assert n2025.origin == HolidayNotice.Origin.PACKAGE
    assert n2025.title == "国务院办公厅关于2025年部分节假日安排的通知"
    assert n2025.document_no == "国办发明电〔2024〕12号"
    assert "2025-10-11" in n2025.workdays and "2025-10-01" in n2025.off_days
    assert HolidayNotice.objects.get(year=2010).document_no == ""  # not known reliably: left blank


def test_load_holidays_twice_changes_nothing(holidays):
    events = AuditEvent.objects.count()
    stamps = dict(HolidayNotice.objects.values_list("year", "updated_at"))
    call_command("load_holidays", verbosity=0)
    assert AuditEvent.objects.count() == events
    assert dict(HolidayNotice.objects.values_list("year", "updated_at")) == stamps


def test_load_holidays_never_overwrites_a_notice_entered_by_hand(holidays, users):
    holiday_notice_save(
        actor=users["admin"], year=2025, title="人工核对后的 2025 年通知", off_days=["2025-10-01"], workdays=[],
    )
    call_command("load_holidays", verbosity=0)
    notice = HolidayNotice.objects.get(year=2025)
    assert notice.origin == HolidayNotice.Origin.MANUAL
    assert notice.off_days == ["2025-10-01"]


# --- the notice service --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("off_days", "workdays_", "field", "message"),
    [
        (["2027-02-06"], ["2027-02-06"], "workdays", "同时出现"),
        (["2026-12-31"], [], "off_days", "不在 2027 年内"),
        ([], ["2027-02-08"], "workdays", "应为周六或周日"),
        (["2027-02-08", "2027-02-08"], [], "off_days", "重复"),
        (["2027-02-30"], [], "off_days", "格式有误"),
    ],
)
def test_a_contradictory_notice_is_refused_and_nothing_written(db, users, off_days, workdays_, field, message):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        notice_2027(users["national"], off_days=off_days, workdays=workdays_)
    assert any(message in text for text in caught.value.fields[field])
    assert not HolidayNotice.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_off_day_on_a_weekend_is_allowed(db, users):
    outcome = notice_2027(users["national"], off_days=["2027-02-06", "2027-02-08"], workdays=["2027-02-20"])
    assert outcome.created and outcome.notice.off_days == ["2027-02-06", "2027-02-08"]


def test_only_national_editors_may_save_a_notice(db, users):
    for name in ("gx_province", "nn_city", "inspector", "gx_applicant"):
        with pytest.raises(PermissionDenied):
            notice_2027(users[name])
    assert not HolidayNotice.objects.exists()
    assert notice_2027(users["admin"]).created


def test_saving_writes_one_audit_event_and_replacing_records_the_change(db, users):
    notice_2027(users["national"])
    event = AuditEvent.objects.get(verb="holiday_notice.create")
    assert event.actor == users["national"] and event.target_id == str(HolidayNotice.objects.get().pk)
    notice_2027(users["admin"], off_days=["2027-01-01", "2027-02-08"])
    replaced = AuditEvent.objects.get(verb="holiday_notice.replace")
    assert replaced.old == {"off_days": ["2027-01-01"]}
    assert replaced.new == {"off_days": ["2027-01-01", "2027-02-08"]}
    unchanged = notice_2027(users["admin"], off_days=["2027-01-01", "2027-02-08"])
    assert not unchanged.changed
    assert AuditEvent.objects.filter(verb__startswith="holiday_notice").count() == 2


def test_package_data_does_not_replace_a_manual_notice(db, users):
    from sanpin.accounts.models import system_user

    notice_2027(users["national"])
    with pytest.raises(Conflict):
        notice_2027(system_user(), origin=HolidayNotice.Origin.PACKAGE, off_days=[])


# --- deadlines and their recompute ---------------------------------------------------------------


def test_a_provisional_deadline_is_recomputed_when_the_notice_is_entered(holidays, users):
    deadline = deadline_create(start=date(2026, 12, 28), working_days=5, purpose="初审")
    assert deadline.due_on == date(2027, 1, 4)
    assert deadline.provisional and "2027 年" in deadline.provisional_reason
    settled = deadline_create(start=date(2025, 9, 30), working_days=5, purpose="复审")

    outcome = notice_2027(users["national"])

    deadline.refresh_from_db()
    assert outcome.recomputed == 1
    assert deadline.due_on == date(2027, 1, 5)  # 1 January is now a holiday
    assert not deadline.provisional and deadline.provisional_reason == ""
    assert deadline.recomputed_at is not None
    settled.refresh_from_db()
    assert settled.recomputed_at is None
    event = AuditEvent.objects.get(verb="deadline.recompute")
    assert event.new == {"year": 2027, "examined": 1, "changed": 1, "still_provisional": 0}


def test_a_deadline_reaching_two_missing_years_stays_provisional_for_the_other(holidays, users):
    deadline = deadline_create(start=date(2027, 12, 1), working_days=30, purpose="现场检查")
    notice_2027(users["national"])
    deadline.refresh_from_db()
    assert deadline.provisional
    assert deadline.provisional_reason.startswith("2028 年")


def test_correcting_a_notice_recomputes_running_firm_deadlines(holidays, users):
    notice_2027(users["national"], off_days=[])
    deadline = deadline_create(start=date(2026, 12, 28), working_days=5, purpose="初审")
    assert deadline.due_on == date(2027, 1, 4) and not deadline.provisional
    notice_2027(users["national"], off_days=["2027-01-01"])
    deadline.refresh_from_db()
    assert deadline.due_on == date(2027, 1, 5)


def test_owners_hear_about_recomputed_deadlines(holidays, users):
    heard = []

    def listener(sender, deadlines, **kwargs):
        heard.extend(d.pk for d in deadlines)

    deadlines_recomputed.connect(listener)
    try:
        deadline = deadline_create(start=date(2026, 12, 28), working_days=5, purpose="初审")
        notice_2027(users["national"])
    finally:
        deadlines_recomputed.disconnect(listener)
    assert heard == [deadline.pk]


def test_recompute_all_provisional_deadlines(holidays, users):
    deadline = deadline_create(start=date(2026, 12, 28), working_days=5, purpose="初审")
    HolidayNotice.objects.create(year=2027, title="t", off_days=["2027-01-01"], workdays=[])  # bypassing the service
    workdays.invalidate()
    report = deadlines_recompute_provisional(actor=users["admin"])
    assert (report.examined, report.changed, report.still_provisional) == (1, 1, 0)
    deadline.refresh_from_db()
    assert deadline.due_on == date(2027, 1, 5) and not deadline.provisional
    with pytest.raises(PermissionDenied):
        deadlines_recompute_provisional(actor=users["gx_province"])


def test_deadline_create_stores_its_owner_and_refuses_bad_input(holidays, users):
    deadline = deadline_create(start=date(2025, 9, 30), working_days=5, purpose="初审", owner=users["gx_applicant"])
    assert Deadline.objects.get(pk=deadline.pk).owner == users["gx_applicant"]
    with pytest.raises(ValidationFailed) as caught:
        deadline_create(start=date(2025, 9, 30), working_days=-3, purpose="初审")
    assert "working_days" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        deadline_create(start=date(2025, 9, 30), working_days=3, purpose=" ")
    assert "purpose" in caught.value.fields
    assert Deadline.objects.count() == 1
