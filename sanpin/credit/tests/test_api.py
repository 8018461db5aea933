"""GET /api/v1/entities/{id}/credit/: who may read it and what it says."""

import datetime

import pytest

from sanpin.credit.choices import CreditKind
from sanpin.credit.services import credit_event_record

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def complaint(users, gx_entity, on_day):
    on_day(DAY)
    return credit_event_record(actor=users["gx_province"], entity=gx_entity, kind=CreditKind.COMPLAINT_UPHELD,
                               occurred_on=DAY, summary="投诉查实：包装标注不实", evidence="投诉 TS-1")


def url(entity):
    return f"/api/v1/entities/{entity.pk}/credit/"


def test_the_entity_reads_its_own_credit(api, users, gx_entity, complaint):
    api.force_authenticate(users["gx_applicant"])
    response = api.get(url(gx_entity))
    assert response.status_code == 200
    body = response.json()
    assert body["entity"]["id"] == gx_entity.pk
    assert (body["score"], body["grade"], body["rulebook_version"], body["on"]) == (80.0, "B", 1, "2026-03-02")
    assert body["events"] == [{"kind": "complaint_upheld", "kind_label": "投诉举报查实", "occurred_on": "2026-03-02",
                               "summary": "投诉查实：包装标注不实", "points": -5.0}]
    earlier = api.get(url(gx_entity), {"on": "2026-03-01"}).json()
    assert (earlier["score"], earlier["events"]) == (85.0, [])
    assert api.get(url(gx_entity), {"on": "2026-13-01"}).json()["fields"] == {"on": ["日期格式应为 YYYY-MM-DD"]}


@pytest.mark.parametrize(("who", "status"), [
    ("gx_province", 200), ("nn_city", 200), ("national", 200), ("inspector", 200),
    ("bs_city", 404), ("sh_province", 404), ("sh_applicant", 404),
    ("expert", 403),
])
def test_access(api, users, gx_entity, complaint, who, status):
    api.force_authenticate(users[who])
    response = api.get(url(gx_entity))
    assert response.status_code == status
    if status != 200:
        assert set(response.json()) == {"code", "message", "fields"}
        assert gx_entity.name not in response.content.decode()


def test_no_role_is_refused_and_anonymous_must_sign_in(api, gx_entity):
    from sanpin.accounts.tests.factories import UserFactory

    assert api.get(url(gx_entity)).status_code == 401
    api.force_authenticate(UserFactory(username="nobody"))
    assert api.get(url(gx_entity)).status_code == 403
