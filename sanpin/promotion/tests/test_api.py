"""The promotion API: public events, sign-up with structured errors, and the staff lists in scope."""

import pytest

from .. import services
from ..models import Participation
from .factories import certificate, event, outlet, sign_up, specialist

pytestmark = pytest.mark.django_db


def test_public_events_list_and_detail(api, users, sh_entity, agencies, today):
    fair = event(users["sh_province"], agencies["sh"])
    event(users["sh_province"], agencies["sh"], open_=False, title="草稿")
    shown = certificate(sh_entity)
    participation = sign_up(users["sh_applicant"], fair, [shown])
    services.participation_decide(actor=users["sh_province"], participation=participation, action="approve")
    body = api.get("/api/v1/public/events/", {"when": "upcoming"}).json()
    assert [e["title"] for e in body["results"]] == [fair.title]
    assert api.get("/api/v1/public/events/", {"when": "soon"}).json()["code"] == "invalid"
    detail = api.get(f"/api/v1/public/events/{fair.pk}/").json()
    assert detail["participants"][0]["entity"] == sh_entity.name
    assert detail["participants"][0]["certificates"][0]["number"] == shown.number


def test_sign_up_through_the_api(api, users, sh_entity, gx_entity, agencies, today):
    fair = event(users["sh_province"], agencies["sh"])
    own, theirs = certificate(sh_entity), certificate(gx_entity)
    url = f"/api/v1/events/{fair.pk}/participations/"
    assert api.post(url, {"certificates": [own.number], "products": ["有机肥"]}, format="json").status_code == 401
    api.force_authenticate(users["sh_applicant"])
    refused = api.post(url, {"certificates": [theirs.number], "products": ["有机肥"]}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"code", "message", "fields"}
    assert "不是本单位持有的证书" in refused.json()["fields"]["certificates"][0]
    missing = api.post(url, {"certificates": ["LSSZ-00-0000000000"], "products": ["有机肥"]}, format="json")
    assert missing.status_code == 400
    assert not Participation.objects.exists()
    created = api.post(url, {"certificates": [own.number], "products": ["有机肥"]}, format="json")
    assert created.status_code == 201
    assert created.json()["certificates"] == [own.number]
    again = api.post(url, {"certificates": [own.number], "products": ["有机肥"]}, format="json")
    assert again.status_code == 409


def test_staff_lists_are_scoped(api, users, regions, today):
    outlet(users["sh_province"], regions["310101"])
    specialist(users["sh_province"], regions["310101"], trained_on=today)
    api.force_authenticate(users["sh_province"])
    assert api.get("/api/v1/outlets/").json()["count"] == 1
    people = api.get("/api/v1/promotion-specialists/", {"state": "active"}).json()
    assert people["count"] == 1 and len(people["results"][0]["trainings"]) == 1
    assert api.get("/api/v1/outlets/", {"state": "maybe"}).status_code == 400
    api.force_authenticate(users["gx_province"])
    assert api.get("/api/v1/outlets/").json()["count"] == 0
    assert api.get("/api/v1/promotion-specialists/").json()["count"] == 0
    api.force_authenticate(users["sh_applicant"])
    assert api.get("/api/v1/outlets/").status_code == 403
