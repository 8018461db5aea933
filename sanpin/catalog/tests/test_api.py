"""The /api/v1/ regions (public) and entities (scoped) endpoints through HTTP."""

import pytest
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

from sanpin.catalog.models import Entity
from sanpin.catalog.tests.factories import valid_uscc
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def payload(**overrides):
    data = {
        "name": "南宁青秀生态农业有限公司", "uscc": valid_uscc("450103"), "kind": "enterprise", "region": "450103",
        "address": "南宁市青秀区民族大道1号", "legal_representative": "王五", "contact_name": "赵六",
        "contact_phone": "13800000001",
    }
    data.update(overrides)
    return data


class TestRegions:
    def test_without_a_parent_the_provinces_are_listed_to_anyone(self, api, regions):
        response = api.get("/api/v1/regions/")

        assert response.status_code == 200
        codes = [r["code"] for r in response.json()["results"]]
        assert codes == ["310000", "450000"]
        guangxi = response.json()["results"][1]
        assert guangxi["number_code"] == "20" and guangxi["parent"] is None and guangxi["level"] == "province"

    def test_children_of_a_parent_with_flags(self, api, regions):
        response = api.get("/api/v1/regions/", {"parent": "451000"})

        [county] = response.json()["results"]
        assert set(county) == {
            "code", "name", "level", "parent", "full_name", "number_code", "poverty_exit_county",
            "poverty_exit_year", "key_assistance_county",
        }
        assert (county["code"], county["parent"], county["level"]) == ("451031", "451000", "county")

    def test_search_and_detail(self, api, regions):
        assert [r["code"] for r in api.get("/api/v1/regions/", {"q": "4501"}).json()["results"]] == [
            "450100", "450102", "450103"]
        assert api.get("/api/v1/regions/450102/").json()["name"] == "兴宁区"
        missing = api.get("/api/v1/regions/999999/")
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"

    def test_the_public_list_is_rate_limited(self, api, regions, monkeypatch):
        cache.clear()
        monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public": "2/minute"})

        statuses = [api.get("/api/v1/regions/").status_code for _ in range(3)]

        assert statuses == [200, 200, 429]
        assert api.get("/api/v1/regions/").json()["code"] == "throttled"
        cache.clear()


class TestEntities:
    def test_staff_create_an_entity(self, api, users):
        api.force_authenticate(users["gx_province"])

        response = api.post("/api/v1/entities/", payload(), format="json")

        assert response.status_code == 201, response.json()
        assert response.json()["region"] == "450103"
        assert response.json()["region_name"] == "广西壮族自治区 南宁市 青秀区"

    def test_a_bad_check_character_answers_400_naming_uscc_and_writes_nothing(self, api, users):
        api.force_authenticate(users["gx_province"])
        good = valid_uscc("450103")
        count = Entity.objects.count()

        response = api.post("/api/v1/entities/", payload(uscc=good[:-1] + ("0" if good[-1] != "0" else "1")),
                            format="json")

        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert body["fields"]["uscc"] == ["统一社会信用代码校验位不正确"]
        assert Entity.objects.count() == count and not AuditEvent.objects.exists()

    def test_a_duplicate_code_answers_400_duplicate(self, api, users, gx_entity):
        api.force_authenticate(users["gx_province"])

        response = api.post("/api/v1/entities/", payload(uscc=gx_entity.uscc), format="json")

        assert response.status_code == 400
        assert response.json()["code"] == "duplicate" and gx_entity.name in response.json()["fields"]["uscc"][0]

    def test_an_unknown_region_is_refused(self, api, users):
        api.force_authenticate(users["national"])
        response = api.post("/api/v1/entities/", payload(region="450199"), format="json")
        assert response.status_code == 400 and "region" in response.json()["fields"]

    def test_missing_fields_are_named(self, api, users):
        api.force_authenticate(users["national"])
        response = api.post("/api/v1/entities/", {"name": "x"}, format="json")
        assert response.status_code == 400 and {"uscc", "region"} <= set(response.json()["fields"])

    def test_a_guangxi_user_cannot_read_a_shanghai_entity(self, api, users, sh_entity, gx_entity):
        api.force_authenticate(users["gx_province"])

        assert api.get(f"/api/v1/entities/{sh_entity.pk}/").status_code == 404
        assert api.patch(f"/api/v1/entities/{sh_entity.pk}/", {"contact_name": "x"}, format="json").status_code == 404
        names = [e["name"] for e in api.get("/api/v1/entities/").json()["results"]]
        assert names == [gx_entity.name]

    def test_list_filters(self, api, users, gx_entity, sh_entity):
        api.force_authenticate(users["national"])
        assert api.get("/api/v1/entities/", {"region": "310000"}).json()["count"] == 1
        assert api.get("/api/v1/entities/", {"uscc": gx_entity.uscc[:10]}).json()["results"][0]["id"] == gx_entity.pk
        assert api.get("/api/v1/entities/", {"q": "申绿"}).json()["results"][0]["id"] == sh_entity.pk

    def test_an_applicant_sees_and_edits_only_its_own_entity(self, api, users, gx_entity, sh_entity):
        api.force_authenticate(users["gx_applicant"])

        assert [e["id"] for e in api.get("/api/v1/entities/").json()["results"]] == [gx_entity.pk]
        ok = api.patch(f"/api/v1/entities/{gx_entity.pk}/", {"contact_phone": "13912345678"}, format="json")
        assert ok.status_code == 200 and ok.json()["contact_phone"] == "13912345678"
        refused = api.patch(f"/api/v1/entities/{gx_entity.pk}/", {"name": "改名"}, format="json")
        assert refused.status_code == 400 and "name" in refused.json()["fields"]
        assert api.get(f"/api/v1/entities/{sh_entity.pk}/").status_code == 404
        assert api.post("/api/v1/entities/", payload(), format="json").status_code == 403

    def test_wrong_roles_are_refused_with_403(self, api, users, gx_entity):
        api.force_authenticate(users["expert"])
        assert api.get("/api/v1/entities/").status_code == 403
        assert api.get(f"/api/v1/entities/{gx_entity.pk}/").status_code == 403
        api.force_authenticate(users["inspector"])
        assert api.get(f"/api/v1/entities/{gx_entity.pk}/").status_code == 200
        assert api.patch(f"/api/v1/entities/{gx_entity.pk}/", {"contact_name": "x"}, format="json").status_code == 403

    def test_anonymous_callers_must_sign_in(self, api, gx_entity):
        response = api.get("/api/v1/entities/")
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_the_schema_documents_regions_and_entities(api, db):
    response = api.get("/api/schema/", {"format": "json"})
    paths = response.json()["paths"]
    assert {"/api/v1/regions/", "/api/v1/regions/{code}/", "/api/v1/entities/", "/api/v1/entities/{id}/"} <= set(paths)
    assert "post" in paths["/api/v1/entities/"] and "patch" in paths["/api/v1/entities/{id}/"]
