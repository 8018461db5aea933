"""The calendar API through HTTP: deadline calculator, holiday notices, a year's special days."""

from datetime import date

import pytest
from django.core.management import call_command

from sanpin.core.calendar_services import holiday_notice_save

DEADLINE = "/api/v1/calendar/deadline/"
NOTICES = "/api/v1/calendar/holiday-notices/"
DAYS = "/api/v1/calendar/days/"


@pytest.fixture
def holidays(db):
    call_command("load_holidays", verbosity=0)


@pytest.fixture
def signed_in(api, users, holidays):
    """Any role may use the calendar: an applicant here."""
    api.force_authenticate(users["gx_applicant"])
    return api


def error_fields(response):
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    return body["fields"]


@pytest.mark.parametrize("url", [f"{DEADLINE}?start=2025-09-30&working_days=5", NOTICES, f"{DAYS}?year=2025"])
def test_anonymous_callers_get_401_with_the_error_body(api, db, url):
    response = api.get(url)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_five_working_days_after_national_day_eve(signed_in):
    response = signed_in.get(DEADLINE, {"start": "2025-09-30", "working_days": 5})
    assert response.status_code == 200
    assert response.json() == {"start": "2025-09-30", "working_days": 5, "deadline": "2025-10-14", "provisional": False}


def test_a_deadline_into_an_unpublished_year_is_provisional_with_the_reason(signed_in, users):
    response = signed_in.get(DEADLINE, {"start": "2026-12-28", "working_days": 5})
    body = response.json()
    assert body["deadline"] == "2027-01-04" and body["provisional"] is True
    assert body["reason"] == "2027 年节假日安排尚未发布，按周末计算，待通知发布后重算"

    holiday_notice_save(actor=users["national"], year=2027, title="国务院办公厅关于2027年部分节假日安排的通知",
                        off_days=[date(2027, 1, 1)], workdays=[])
    body = signed_in.get(DEADLINE, {"start": "2026-12-28", "working_days": 5}).json()
    assert body == {"start": "2026-12-28", "working_days": 5, "deadline": "2027-01-05", "provisional": False}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"working_days": 5}, "start"),
        ({"start": "2025-09-30"}, "working_days"),
        ({"start": "2025-13-01", "working_days": 5}, "start"),
        ({"start": "30/09/2025", "working_days": 5}, "start"),
        ({"start": "2025-09-30", "working_days": -1}, "working_days"),
        ({"start": "2025-09-30", "working_days": 1001}, "working_days"),
        ({"start": "2025-09-30", "working_days": "five"}, "working_days"),
        ({"start": "2025-09-30", "working_days": "9" * 40}, "working_days"),
        ({"start": "2003-12-31", "working_days": 5}, "start"),
        ({"start": "9999-12-31", "working_days": 1000}, "start"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(signed_in, params, field):
    response = signed_in.get(DEADLINE, params)
    assert response.status_code == 400
    fields = error_fields(response)
    assert field in fields
    assert all(isinstance(m, str) and m for m in fields[field])


def test_the_negative_count_message_is_chinese(signed_in):
    response = signed_in.get(DEADLINE, {"start": "2025-09-30", "working_days": -1})
    assert response.json()["fields"]["working_days"] == ["工作日数不能为负数"]


def test_holiday_notices_are_listed_newest_first_and_filter_by_year(signed_in):
    body = signed_in.get(NOTICES).json()
    assert body["count"] == 23
    assert [n["year"] for n in body["results"][:2]] == [2026, 2025]
    notice = signed_in.get(NOTICES, {"year": 2025}).json()["results"][0]
    assert notice["title"] == "国务院办公厅关于2025年部分节假日安排的通知"
    assert notice["document_no"] == "国办发明电〔2024〕12号"
    assert notice["origin"] == "package"
    assert "2025-10-11" in notice["workdays"]


def test_days_of_a_year_list_only_the_exceptions_to_the_weekly_rule(signed_in):
    body = signed_in.get(DAYS, {"year": 2025}).json()
    assert body["has_notice"] is True and body["provisional"] is False and "reason" not in body
    assert body["working_day_count"] == 248
    days = {d["date"]: d for d in body["days"]}
    assert days["2025-10-01"] == {"date": "2025-10-01", "working": False, "kind": "holiday"}
    assert days["2025-10-11"] == {"date": "2025-10-11", "working": True, "kind": "makeup"}
    assert "2025-10-04" not in days  # a Saturday inside the holiday: off anyway
    assert body["notice"]["year"] == 2025


def test_days_of_a_year_without_notice_are_provisional(signed_in):
    body = signed_in.get(DAYS, {"year": 2027}).json()
    assert body["has_notice"] is False and body["provisional"] is True
    assert body["reason"].startswith("2027 年节假日安排尚未发布")
    assert body["days"] == [] and body["notice"] is None


@pytest.mark.parametrize("params", [{}, {"year": "abc"}, {"year": 2003}, {"year": 2100}])
def test_days_refuse_a_missing_or_absurd_year(signed_in, params):
    response = signed_in.get(DAYS, params)
    assert response.status_code == 400
    assert "year" in error_fields(response)


def test_the_schema_documents_the_calendar_parameters(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/calendar/deadline/"]["get"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert names["start"]["required"] and names["working_days"]["required"]
    assert {"200", "400", "401"} <= set(operation["responses"])
    assert {p["name"] for p in schema["paths"]["/api/v1/calendar/days/"]["get"]["parameters"]} == {"year"}
