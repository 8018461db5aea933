"""/api/v1/subscriptions/: follow, list, unfollow and the delivery log, each user only their own."""

import pytest

from sanpin.subscriptions.models import Delivery, Subscription
from sanpin.subscriptions.services import record_event

pytestmark = pytest.mark.django_db
URL = "/api/v1/subscriptions/"


def test_a_purchaser_follows_a_certificate_by_webhook_and_sees_the_secret_once(api, purchaser, gx_cert, receiver):
    api.force_authenticate(purchaser)
    response = api.post(URL, {"target_kind": "certificate", "target": gx_cert.number,
                              "channels": ["inapp", "webhook"], "webhook_url": receiver.url}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["webhook_secret"].startswith("whsec_")
    assert body["certificate_number"] == gx_cert.number and body["channels"] == ["inapp", "webhook"]
    listed = api.get(URL).json()["results"]
    assert [s["id"] for s in listed] == [body["id"]]
    assert "webhook_secret" not in listed[0]
    assert "webhook_secret" not in api.get(f"{URL}{body['id']}/").json()


def test_bad_input_names_the_field_and_writes_nothing(api, purchaser, gx_cert):
    api.force_authenticate(purchaser)
    response = api.post(URL, {"target_kind": "certificate", "target": "LSSZ-01-0000000000",
                              "channels": ["webhook"], "webhook_url": "javascript:alert(1)"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert {"target", "webhook_url"} <= set(body["fields"])
    response = api.post(URL, {"target_kind": "certificate", "target": gx_cert.number, "channels": ["fax"]},
                        format="json")
    assert response.status_code == 400 and "channels" in response.json()["fields"]
    assert not Subscription.objects.exists()


def test_unfollowing_twice_is_a_conflict(api, purchaser, gx_cert):
    api.force_authenticate(purchaser)
    sid = api.post(URL, {"target_kind": "certificate", "target": gx_cert.number, "channels": ["inapp"]},
                   format="json").json()["id"]
    assert api.delete(f"{URL}{sid}/").status_code == 204
    assert Subscription.objects.get(pk=sid).active is False
    assert api.delete(f"{URL}{sid}/").status_code == 409


def test_the_delivery_log_is_the_owners_alone(api, purchaser, bank, users, gx_cert):
    # Given a purchaser's subscription with one delivery
    api.force_authenticate(purchaser)
    sid = api.post(URL, {"target_kind": "certificate", "target": gx_cert.number, "channels": ["inapp"]},
                   format="json").json()["id"]
    record_event(certificate=gx_cert, kind="suspended")
    rows = api.get(f"{URL}{sid}/deliveries/").json()["results"]
    assert len(rows) == 1
    assert rows[0]["type"] == "certificate.suspended" and rows[0]["status"] == "sent"
    assert rows[0]["payload"]["certificate"]["number"] == gx_cert.number
    # When another subscriber asks for it, it does not exist for them
    api.force_authenticate(bank)
    for url in (f"{URL}{sid}/deliveries/", f"{URL}{sid}/"):
        response = api.get(url)
        assert response.status_code == 404
        assert set(response.json()) == {"code", "message", "fields"}
    assert api.delete(f"{URL}{sid}/").status_code == 404
    assert Subscription.objects.get(pk=sid).active
    # And a role that cannot subscribe is refused outright
    api.force_authenticate(users["gx_applicant"])
    assert api.get(URL).status_code == 403
    assert api.get(f"{URL}{sid}/deliveries/").status_code == 403
    assert Delivery.objects.count() == 1


def test_anonymous_callers_are_refused(api):
    assert api.get(URL).status_code == 401
