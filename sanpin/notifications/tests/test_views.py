"""The inbox page, the bell in the navigation bar, and the API: each user sees only their own."""

import pytest

from sanpin.notifications.choices import Channel
from sanpin.notifications.models import Notification
from sanpin.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(users):
    """Two notifications for the Guangxi reviewer, one for the Shanghai reviewer."""
    gx, sh = users["gx_province"], users["sh_province"]
    first, = notify(recipients=[gx], title="待初审：邕绿有机肥", body="请尽快处理", url="/catalog/entities/",
                    channels=[Channel.INAPP])
    second, = notify(recipients=[gx], title="补正材料已提交", body="", channels=[Channel.INAPP])
    other, = notify(recipients=[sh], title="上海的待办", body="", channels=[Channel.INAPP])
    return {"first": first, "second": second, "other": other}


def test_the_list_shows_only_my_notifications_and_the_bell_counts_unread(client, users, inbox):
    client.force_login(users["gx_province"])
    page = client.get("/notifications/").content.decode()
    assert "待初审：邕绿有机肥" in page and "补正材料已提交" in page
    assert "上海的待办" not in page
    assert 'data-unread-count>2<' in page
    unread_page = client.get("/notifications/?unread=1").content.decode()
    assert "待初审：邕绿有机肥" in unread_page


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, users, inbox):
    client.force_login(users["gx_province"])
    response = client.post(f"/notifications/{inbox['first'].pk}/read/", {"next": "/catalog/entities/"})
    assert response.status_code == 302 and response["Location"] == "/catalog/entities/"
    inbox["first"].refresh_from_db()
    assert inbox["first"].is_read
    # An off-site `next` is ignored
    response = client.post(f"/notifications/{inbox['second'].pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"
    assert 'data-unread-count' not in client.get("/notifications/").content.decode()


def test_someone_elses_notification_is_not_found(client, users, inbox):
    client.force_login(users["gx_province"])
    assert client.post(f"/notifications/{inbox['other'].pk}/read/").status_code == 404
    inbox["other"].refresh_from_db()
    assert not inbox["other"].is_read


def test_mark_all_read_touches_only_mine(client, users, inbox):
    client.force_login(users["gx_province"])
    response = client.post("/notifications/read-all/", follow=True)
    assert "已将 2 条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=users["gx_province"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=users["sh_province"], read_at__isnull=True).count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, inbox):
    response = client.post(f"/notifications/{inbox['first'].pk}/read/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Notification.objects.filter(read_at__isnull=False).exists()


# --- API ---------------------------------------------------------------------------------------------


def test_api_lists_my_notifications_with_an_unread_filter(api, users, inbox):
    api.force_authenticate(users["gx_province"])
    body = api.get("/api/v1/notifications/").json()
    assert body["count"] == 2
    assert {n["title"] for n in body["results"]} == {"待初审：邕绿有机肥", "补正材料已提交"}
    api.post(f"/api/v1/notifications/{inbox['second'].pk}/read/")
    unread = api.get("/api/v1/notifications/?unread=1").json()
    assert [n["title"] for n in unread["results"]] == ["待初审：邕绿有机肥"]
    assert unread["results"][0]["is_read"] is False


def test_api_mark_read_answers_the_notification_and_404_for_others(api, users, inbox):
    api.force_authenticate(users["gx_province"])
    response = api.post(f"/api/v1/notifications/{inbox['first'].pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True and response.json()["read_at"]
    response = api.post(f"/api/v1/notifications/{inbox['other'].pk}/read/")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "fields"} and response.json()["code"] == "not_found"


def test_api_refuses_a_bad_filter_and_anonymous_callers(api, users, inbox):
    assert api.get("/api/v1/notifications/").status_code == 401
    api.force_authenticate(users["gx_province"])
    response = api.get("/api/v1/notifications/?unread=perhaps")
    assert response.status_code == 400 and "unread" in response.json()["fields"]
