"""Scoping: lists and single objects reach only the caller's region subtree or own entity."""

import pytest

from sanpin.catalog.models import Entity
from sanpin.core.access import access_by_id
from sanpin.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def names(user, action="view"):
    return set(Entity.objects.restrict(user, action).values_list("name", flat=True))


def test_national_staff_see_every_region(users, gx_entity, sh_entity):
    assert names(users["national"]) == {gx_entity.name, sh_entity.name}


def test_provincial_staff_see_only_their_province(users, gx_entity, sh_entity):
    assert names(users["gx_province"]) == {gx_entity.name}
    assert names(users["sh_province"]) == {sh_entity.name}


def test_city_staff_see_only_their_city(users, gx_entity):
    assert names(users["nn_city"]) == {gx_entity.name}
    assert names(users["bs_city"]) == set()


def test_applicant_sees_only_its_own_entity(users, gx_entity):
    assert names(users["gx_applicant"]) == {gx_entity.name}


def test_guangxi_user_cannot_read_a_shanghai_entity(users, sh_entity):
    with pytest.raises(NotFound):
        access_by_id(Entity, users["gx_province"], sh_entity.pk)
    with pytest.raises(NotFound):
        access_by_id(Entity, users["gx_applicant"], sh_entity.pk)


def test_role_without_the_action_is_refused_not_hidden(users, gx_entity):
    with pytest.raises(PermissionDenied):
        access_by_id(Entity, users["expert"], gx_entity.pk)
    with pytest.raises(PermissionDenied):
        access_by_id(Entity, users["inspector"], gx_entity.pk, "change")


def test_anonymous_and_garbage_ids_reach_nothing(users, gx_entity):
    from django.contrib.auth.models import AnonymousUser

    assert not Entity.objects.restrict(AnonymousUser(), "view").exists()
    with pytest.raises(NotFound):
        access_by_id(Entity, users["national"], "not-a-number")


def test_client_address_comes_from_the_proxy_header_only_behind_a_proxy(rf, settings):
    from sanpin.core.middleware import client_ip_of

    request = rf.get("/", HTTP_X_REAL_IP="203.0.113.9", REMOTE_ADDR="127.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_ip_of(request) == "127.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip_of(request) == "203.0.113.9"


@pytest.mark.django_db
def test_a_nul_character_in_a_request_is_refused_before_it_reaches_the_database(client, api, users):
    api.force_authenticate(users["national"])
    response = api.get("/api/v1/applications/?state=%00")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    client.force_login(users["national"])
    assert client.get("/catalog/entities/?q=a%00b").status_code == 400
    assert client.post("/catalog/entities/new/", {"name": "x\x00"}).status_code == 400


@pytest.mark.django_db
def test_a_non_numeric_entity_filter_is_a_clear_400(api, users):
    api.force_authenticate(users["national"])
    response = api.get("/api/v1/applications/?entity=abc")
    assert response.status_code == 400 and "entity" in response.json()["fields"]
