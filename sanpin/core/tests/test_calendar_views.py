"""The calendar pages through HTTP: who may open them, what they show, entering a notice."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from sanpin.core.calendar_services import deadline_create
from sanpin.core.models import AuditEvent, HolidayNotice


@pytest.fixture
def holidays(db):
    call_command("load_holidays", verbosity=0)


def as_user(client, user):
    client.force_login(user)
    return client


PAGES = [reverse("core:calendar"), reverse("core:holiday_list"), reverse("core:holiday_new"),
         reverse("core:holiday_edit", args=[2027])]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", PAGES)
def test_applicants_may_not_open_the_calendar_pages(client, users, url):
    assert as_user(client, users["gx_applicant"]).get(url).status_code == 403


@pytest.mark.parametrize("name", ["gx_province", "nn_city", "inspector"])
def test_staff_see_the_calendar_but_may_not_edit_notices(client, users, holidays, name):
    as_user(client, users[name])
    assert client.get(reverse("core:calendar")).status_code == 200
    assert client.get(reverse("core:holiday_list")).status_code == 200
    assert client.get(reverse("core:holiday_edit", args=[2027])).status_code == 403
    response = client.post(reverse("core:holiday_new"), {"year": 2027, "title": "x"})
    assert response.status_code == 403
    assert not HolidayNotice.objects.filter(year=2027).exists()


def test_the_year_view_colours_holidays_and_makeup_days_and_shows_the_source(client, users, holidays):
    page = as_user(client, users["gx_province"]).get(reverse("core:calendar"), {"year": 2025}).content.decode()
    assert "国务院办公厅关于2025年部分节假日安排的通知" in page
    assert "国办发明电〔2024〕12号" in page
    assert 'class="bg-danger-subtle text-danger-emphasis fw-semibold" title="2025-10-01 放假"' in page
    assert 'class="bg-warning-subtle text-warning-emphasis fw-semibold" title="2025-10-11 调休上班"' in page
    assert page.count('<div class="card-header py-1 fw-semibold">') == 12
    assert "尚未录入" not in page


def test_a_year_without_notice_carries_a_plain_warning(client, users, holidays):
    page = as_user(client, users["nn_city"]).get(reverse("core:calendar"), {"year": 2027}).content.decode()
    assert "2027 年节假日安排尚未录入" in page
    assert "按周末计算" in page


def test_an_absurd_year_falls_back_to_this_year_with_a_message(client, users, holidays):
    response = as_user(client, users["nn_city"]).get(reverse("core:calendar"), {"year": "1800"})
    assert response.status_code == 200
    assert "年份应在 2004 至 2099 之间" in response.content.decode()


def test_the_calculator_gives_the_deadline(client, users, holidays):
    as_user(client, users["inspector"])
    page = client.get(reverse("core:calendar"), {"start": "2025-09-30", "working_days": "5"}).content.decode()
    assert "2025-10-14" in page and "暂定" not in page.split('id="deadline-result"')[1]
    page = client.get(reverse("core:calendar"), {"start": "2026-12-28", "working_days": "5"}).content.decode()
    result = page.split('id="deadline-result"')[1]
    assert "2027-01-04" in result and "暂定" in result and "2027 年节假日安排尚未发布" in result


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-09-30", "working_days": "-1"}, "工作日数不能为负数"),
        ({"start": "2025-09-30", "working_days": "5000"}, "工作日数不能超过 1000 个"),
        ({"start": "2025-02-30", "working_days": "5"}, "日期格式有误"),
        ({"start": "1999-01-01", "working_days": "5"}, "起算日应在 2004 年至 2099 年之间"),
    ],
)
def test_the_calculator_explains_bad_input(client, users, holidays, params, message):
    page = as_user(client, users["inspector"]).get(reverse("core:calendar"), params).content.decode()
    assert message in page
    assert 'id="deadline-result"' not in page


def test_the_notice_list_shows_every_year_and_edit_links_for_editors(client, users, holidays):
    page = as_user(client, users["national"]).get(reverse("core:holiday_list")).content.decode()
    assert "国务院办公厅关于2004年部分节假日安排的通知" in page
    assert reverse("core:holiday_edit", args=[2025]) in page
    page = as_user(client, users["gx_province"]).get(reverse("core:holiday_list")).content.decode()
    assert reverse("core:holiday_edit", args=[2025]) not in page


def test_the_edit_page_is_filled_from_the_stored_notice(client, users, holidays):
    page = as_user(client, users["admin"]).get(reverse("core:holiday_edit", args=[2025])).content.decode()
    assert "2025-10-11" in page and "国办发明电〔2024〕12号" in page


NOTICE_2027 = {
    "year": "2027",
    "title": "国务院办公厅关于2027年部分节假日安排的通知",
    "document_no": "",
    "source_url": "https://www.gov.cn/zhengce/",
    "published_on": "2026-11-05",
    "off_days": "2027-01-01\n2027-02-05, 2027-02-08，2027-02-09",
    "workdays": "2027-02-20",
}


def test_entering_next_years_notice_recomputes_provisional_deadlines(client, users, holidays):
    deadline = deadline_create(start=date(2026, 12, 28), working_days=5, purpose="初审")
    assert deadline.provisional

    response = as_user(client, users["national"]).post(reverse("core:holiday_new"), NOTICE_2027)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:calendar") + "?year=2027"
    notice = HolidayNotice.objects.get(year=2027)
    assert notice.origin == HolidayNotice.Origin.MANUAL and notice.entered_by == users["national"]
    assert notice.off_days == ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09"]
    deadline.refresh_from_db()
    assert deadline.due_on == date(2027, 1, 5) and not deadline.provisional
    page = client.get(response["Location"]).content.decode()
    assert "已保存 2027 年节假日安排，已重算 1 个相关时限" in page


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"workdays": "2027-02-08"}, "同时出现在放假日期和调休上班日期中"),
        ({"workdays": "2027-02-10"}, "调休上班日应为周六或周日"),
        ({"off_days": "2026-12-31"}, "不在 2027 年内"),
        ({"off_days": "2027-1-1x"}, "以下日期格式有误"),
        ({"title": ""}, "请填写通知标题"),
        ({"year": "2003"}, "年份不能早于 2004"),
    ],
)
def test_a_bad_notice_is_explained_in_chinese_and_nothing_is_saved(client, users, holidays, changes, field_message):
    events = AuditEvent.objects.count()
    response = as_user(client, users["national"]).post(reverse("core:holiday_new"), {**NOTICE_2027, **changes})
    assert response.status_code == 200
    page = response.content.decode()
    assert field_message in page
    assert "未保存任何内容" in page
    assert not HolidayNotice.objects.filter(year=2027).exists()
    assert AuditEvent.objects.count() == events


def test_replacing_a_year_keeps_the_year_from_the_address(client, users, holidays):
    as_user(client, users["admin"])
    response = client.post(reverse("core:holiday_edit", args=[2026]), {**NOTICE_2027, "year": "2030",
                           "off_days": "2026-10-01", "workdays": ""})
    assert response.status_code == 302
    notice = HolidayNotice.objects.get(year=2026)
    assert notice.off_days == ["2026-10-01"] and notice.origin == HolidayNotice.Origin.MANUAL
    assert not HolidayNotice.objects.filter(year=2030).exists()


def test_an_edit_address_outside_the_supported_years_is_not_found(client, users):
    assert as_user(client, users["admin"]).get(reverse("core:holiday_edit", args=[1990])).status_code == 404
