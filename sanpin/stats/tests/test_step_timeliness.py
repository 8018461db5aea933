"""Step timeliness per responsible agency [001 §7], checked against applications driven through
the review on chosen days and counted by hand; and the staff page 审核质量."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from sanpin.certification.models import Application, Step
from sanpin.certification.tests import conftest as certification
from sanpin.certification.tests.conftest import Driver
from sanpin.stats.timeliness import step_timeliness

pytestmark = pytest.mark.django_db
world = certification.world  # the green-input world fixture: inspector, experts, lab, fee schedules

TODAY = date(2025, 10, 23)  # the day the figures are read


def submitted(drive, applicant, entity, on_day, day=date(2025, 9, 30)):
    """An application submitted on `day`: its preliminary review (10 working days) is due 2025-10-21."""
    on_day(day)
    created = drive.as_(applicant).create(entity)
    assert created.status_code == 201, created.json()
    app_id = created.json()["id"]
    drive.upload_required(app_id)
    response = drive.submit(app_id)
    assert response.status_code == 200, response.json()
    return app_id


def passed(drive, reviewer, app_id, on_day, day):
    on_day(day)
    response = drive.as_(reviewer).act(app_id, "pass", opinion="材料齐全，初审合格")
    assert response.json()["state"] == "site_inspection", response.json()


@pytest.fixture
def fixture(api, world, gx_entity, sh_entity, on_day):
    """Guangxi (province-level steps, 广西绿色食品发展站):
    - A: preliminary review passed 2025-10-09, before its due date 10-21 → on time;
    - B: passed 2025-10-22, a day after it → late;
    - C: still at preliminary review on 10-23 → open and overdue;
    - D: sent back for supplements on 10-09 and not answered: its clock is stopped → not counted;
    the site inspections A and B opened (20 working days) are not due yet on 10-23 → not counted.
    Shanghai: E passed on time by the Shanghai agency.
    So Guangxi: finished 2, on time 1, late 1, open overdue 1, rate 1 / 3 = 33.3%; Shanghai 1/1/0/0, 100%."""
    drive = Driver(api, world)
    a = submitted(drive, "gx_applicant", gx_entity, on_day)
    b = submitted(drive, "gx_applicant", gx_entity, on_day)
    submitted(drive, "gx_applicant", gx_entity, on_day)
    d = submitted(drive, "gx_applicant", gx_entity, on_day)
    e = submitted(drive, "sh_applicant", sh_entity, on_day)
    passed(drive, "gx_province", a, on_day, date(2025, 10, 9))
    passed(drive, "gx_province", b, on_day, date(2025, 10, 22))
    passed(drive, "sh_province", e, on_day, date(2025, 10, 10))
    on_day(date(2025, 10, 9))
    assert drive.as_("gx_province").act(d, "request_supplement", reason="请补充登记证").json()["state"] == "supplement"
    on_day(TODAY)
    # The hand count rests on these due dates.
    assert set(Step.objects.filter(code="preliminary_review").values_list("deadline__due_on", flat=True)) == {
        date(2025, 10, 21)}
    return drive


def by_agency(rows):
    return {row["agency"]["name"] if row["agency"] else row["region"]["code"]: row for row in rows}


def test_counts_and_rate_per_agency_match_the_hand_count(api, users, agencies, fixture):
    api.force_authenticate(users["national"])
    response = api.get("/api/v1/stats/step-timeliness/?year=2025")
    assert response.status_code == 200, response.json()
    rows = by_agency(response.json())
    assert set(rows) == {"广西绿色食品发展站", "上海市农产品质量安全中心"}
    gx = rows["广西绿色食品发展站"]
    assert gx == {"agency_level": "province", "region": {"code": "450000", "name": gx["region"]["name"]},
                  "agency": {"id": agencies["gx"].pk, "name": "广西绿色食品发展站"},
                  "finished": 2, "on_time": 1, "late": 1, "open_overdue": 1, "percent": "33.3"}
    sh = rows["上海市农产品质量安全中心"]
    assert (sh["finished"], sh["on_time"], sh["late"], sh["open_overdue"], sh["percent"]) == (1, 1, 0, 0, "100.0")


def test_other_years_count_only_what_was_overdue_by_then(fixture, regions):
    assert step_timeliness(year=2024, region=None) == []
    (gx,) = step_timeliness(year=2026, region=regions["450000"])
    # Nothing finished in 2026 (the figures are read on 2025-10-23), but C is still overdue.
    assert (gx.finished, gx.open_overdue, gx.percent) == (0, 1, 0)


def test_a_provincial_user_sees_only_agencies_of_the_province(api, users, fixture, django_assert_max_num_queries):
    api.force_authenticate(users["sh_province"])
    rows = api.get("/api/v1/stats/step-timeliness/?year=2025").json()
    assert [row["agency"]["name"] for row in rows] == ["上海市农产品质量安全中心"]
    assert "广西" not in str(rows)
    assert api.get("/api/v1/stats/step-timeliness/?year=2025&region=450000").status_code == 404

    api.force_authenticate(users["gx_province"])
    with django_assert_max_num_queries(8):  # session user + agency, one aggregate, regions, agencies
        rows = api.get("/api/v1/stats/step-timeliness/?year=2025").json()
    assert [row["agency"]["name"] for row in rows] == ["广西绿色食品发展站"]


def test_a_city_does_not_see_the_provinces_steps(api, users, fixture):
    api.force_authenticate(users["nn_city"])
    assert api.get("/api/v1/stats/step-timeliness/?year=2025").json() == []


def test_the_api_refuses_a_bad_year_and_non_staff(api, users, fixture):
    api.force_authenticate(users["gx_province"])
    response = api.get("/api/v1/stats/step-timeliness/?year=20x5")
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"} and response.json()["fields"]["year"]
    api.force_authenticate(users["gx_applicant"])
    assert api.get("/api/v1/stats/step-timeliness/").status_code == 403


def test_the_page_shows_the_three_tables_to_staff(client, users, gx_entity, fixture):
    # A Nanning first application rejected in 2025: its one-time pass rate 0% is flagged.
    Application.objects.create(scheme="green_inputs", kind="initial", entity=gx_entity, state="rejected",
                               closed_at=timezone.make_aware(datetime(2025, 6, 1, 10)), created_by=users["national"])
    client.force_login(users["gx_province"])
    response = client.get("/stats/review-quality/?year=2025")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("审核质量", "一次性审查通过率", "续展率", "审核时效", "广西绿色食品发展站", "33.3%",
                 "首次申请一次性通过率 0.0% 低于 40%"):
        assert text in html, text
    assert "上海市农产品质量安全中心" not in html
    assert 'href="/stats/review-quality/"' in html  # the navigation entry
    assert client.get("/stats/review-quality/?year=abc").status_code == 200  # falls back to this year


def test_the_page_is_refused_to_an_applicant_and_anonymous(client, users):
    client.force_login(users["gx_applicant"])
    assert client.get("/stats/review-quality/").status_code == 403
    client.logout()
    response = client.get("/stats/review-quality/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
