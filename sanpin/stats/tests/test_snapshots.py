"""Monthly snapshots: frozen once per month, never changed; the dashboard, the report and the API
read the frozen figures unchanged after the data change; the command and the monthly task."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from sanpin.certificates.tests.factories import issue
from sanpin.core.audit import verify_chain
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanpin.core.models import AppendOnlyError, AuditEvent
from sanpin.stats import snapshots
from sanpin.stats.models import Snapshot
from sanpin.stats.tasks import freeze_previous_month

from .test_indicators import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, regions, on_day):
    on_day(date(2026, 11, 20))
    return build_world(users, regions)


def test_a_snapshot_reproduces_after_the_data_change(client, api, users, world):
    snapshot = snapshots.freeze(date(2026, 10, 1), actor=users["national"])
    assert set(snapshot.figures["levels"]) >= {"", "450000", "310000", "450100", "451000"}
    frozen = snapshot.figures["levels"]["450000"]["total"]
    assert (frozen["valid"], frozen["new"]) == (4, 3)

    issue(world["baise"], approved_on=date(2026, 9, 15), product_name="G 有机肥")  # after freezing

    client.force_login(users["gx_province"])
    live = client.get("/stats/dashboard/", {"year": 2026, "month_to": 10}).context["ind"]
    assert (live.total.valid, live.total.new) == (5, 4)  # the live figures moved
    page = client.get("/stats/dashboard/", {"snapshot": "2026-10"})
    assert (page.context["ind"].total.valid, page.context["ind"].total.new) == (4, 3)
    assert "截至 2026-10 冻结数据" in page.content.decode()

    book = load_workbook(io.BytesIO(client.get("/stats/annual-report/", {"snapshot": "2026-10"}).content))
    assert book["总表"].cell(row=book["总表"].max_row, column=3).value == 4
    assert "截至 2026-10 冻结数据" in book["总表"]["A2"].value

    api.force_authenticate(users["gx_province"])
    body = api.get("/api/v1/stats/indicators/", {"snapshot": "2026-10", "region": "450100"}).json()
    assert body["frozen_month"] == "2026-10" and body["total"]["valid"] == 3
    assert Snapshot.objects.get(pk=snapshot.pk).figures["levels"]["450000"]["total"] == frozen


def test_a_county_is_read_from_its_citys_level(world, regions, users):
    snapshot = snapshots.freeze(date(2026, 10, 1), actor=users["national"])
    ind = snapshots.indicators_from(snapshot, regions["450102"])
    assert ind.total.code == "450102" and ind.total.valid == 2 and ind.frozen_month == "2026-10"


def test_a_month_is_frozen_once_and_only_after_it_ends(world, users):
    snapshots.freeze(date(2026, 10, 15), actor=users["national"])
    with pytest.raises(Conflict):
        snapshots.freeze(date(2026, 10, 1), actor=users["national"])
    with pytest.raises(ValidationFailed) as error:
        snapshots.freeze(date(2026, 11, 1), actor=users["national"])
    assert "尚未结束" in error.value.fields["month"][0]
    with pytest.raises(PermissionDenied):
        snapshots.freeze(date(2026, 9, 1), actor=users["gx_province"])
    assert Snapshot.objects.count() == 1


def test_a_snapshot_cannot_be_changed_and_its_freezing_is_audited(world, users):
    snapshot = snapshots.freeze(date(2026, 10, 1), actor=users["national"])
    snapshot.figures = {}
    with pytest.raises(AppendOnlyError):
        snapshot.save()
    with pytest.raises(AppendOnlyError):
        Snapshot.objects.all().delete()
    event = AuditEvent.objects.get(verb="stats.snapshot_freeze")
    assert event.actor == users["national"] and event.new["month"] == "2026-10"
    assert verify_chain().ok


def test_the_monthly_task_freezes_last_month_once(world):
    assert freeze_previous_month() == "2026-10 frozen"
    assert freeze_previous_month() == "2026-10 already frozen"
    snapshot = Snapshot.objects.get()
    assert snapshot.month == date(2026, 10, 1) and snapshot.frozen_by.username == "system"


def test_the_command(world):
    out = io.StringIO()
    call_command("freeze_snapshot", "--month", "2026-09", stdout=out)
    assert "已冻结 2026-09" in out.getvalue()
    with pytest.raises(CommandError, match="已冻结"):
        call_command("freeze_snapshot", "--month", "2026-09")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("freeze_snapshot", "--month", "9/2026")


def test_the_snapshots_page_lists_and_national_staff_freeze(client, users, world):
    client.force_login(users["national"])
    response = client.post("/stats/snapshots/", {"month": "2026-10"})
    assert response.status_code == 302
    page = client.get("/stats/snapshots/").content.decode()
    assert "2026-10" in page and "?snapshot=2026-10" in page
    again = client.post("/stats/snapshots/", {"month": "2026-10"}, follow=True)
    assert "已冻结" in again.content.decode() and Snapshot.objects.count() == 1
    assert client.post("/stats/snapshots/", {"month": "2026-13"}).status_code == 400
    client.force_login(users["gx_province"])
    assert client.get("/stats/snapshots/").status_code == 200
    assert client.post("/stats/snapshots/", {"month": "2026-09"}).status_code == 403


def test_an_unknown_snapshot_is_not_found(client, users, world):
    client.force_login(users["gx_province"])
    assert client.get("/stats/dashboard/", {"snapshot": "2020-01"}).status_code == 404
