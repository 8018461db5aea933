"""The GI API through HTTP: scoped list and detail, import with dry run, authorisations, and
the public verification endpoint."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanpin.catalog.tests.factories import EntityFactory, valid_uscc
from sanpin.gi.models import GIAuthorization, GIRegistration
from sanpin.gi.tests.factories import register, sheet_row, xlsx

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def association(regions):
    return EntityFactory(name="隆林县黑山羊协会", kind="association", region=regions["451031"],
                         uscc=valid_uscc("451031"))


@pytest.fixture
def producer(regions):
    return EntityFactory(name="隆林德峨养殖合作社", kind="cooperative", region=regions["451031"],
                         uscc=valid_uscc("451031"))


@pytest.fixture
def gi(users, association):
    return register(users["gx_province"], association)


@pytest.fixture
def sh_gi(users, sh_entity):
    return register(users["sh_province"], sh_entity, number="AGI09999", counties="310101", product_name="黄浦茭白")


def _upload(rows):
    return {"file": SimpleUploadedFile("登记.xlsx", xlsx(rows))}


def test_import_dry_run_then_import(api, users, association):
    api.force_authenticate(users["gx_province"])
    rows = [sheet_row("AGI00001", association.uscc), sheet_row("AGI00002", association.uscc)]

    dry = api.post("/api/v1/gi/registrations/import/?dry_run=1", _upload(rows), format="multipart")
    assert dry.status_code == 200 and dry.json()["dry_run"] is True and dry.json()["written"] == 0
    assert GIRegistration.objects.count() == 0

    done = api.post("/api/v1/gi/registrations/import/", _upload(rows), format="multipart")
    assert done.status_code == 200 and done.json()["written"] == 2


def test_import_with_a_bad_row_answers_400_naming_it_and_writes_nothing(api, users, association):
    api.force_authenticate(users["gx_province"])
    rows = [sheet_row("AGI00001", association.uscc), sheet_row("AGI00002", association.uscc, counties="451099")]

    response = api.post("/api/v1/gi/registrations/import/", _upload(rows), format="multipart")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rows_invalid"
    assert body["fields"]["rows"] == ["第 3 行：县级区划代码 451099 不存在"]
    assert GIRegistration.objects.count() == 0


def test_import_of_garbage_is_one_clear_400(api, users):
    api.force_authenticate(users["gx_province"])
    response = api.post("/api/v1/gi/registrations/import/",
                        {"file": SimpleUploadedFile("x.xlsx", b"\x00garbage")}, format="multipart")
    assert response.status_code == 400 and response.json()["fields"] == {"file": ["文件不是有效的 Excel 文件"]}


def test_import_is_refused_to_a_holder(api, users, association):
    api.force_authenticate(users["gx_applicant"])
    response = api.post("/api/v1/gi/registrations/import/", _upload([sheet_row("AGI00001", association.uscc)]),
                        format="multipart")
    assert response.status_code == 403


def test_guangxi_staff_get_404_on_a_shanghai_registration(api, users, gi, sh_gi):
    api.force_authenticate(users["gx_province"])

    assert api.get(f"/api/v1/gi/registrations/{sh_gi.number}/").status_code == 404
    assert [r["number"] for r in api.get("/api/v1/gi/registrations/").json()["results"]] == [gi.number]
    detail = api.get(f"/api/v1/gi/registrations/{gi.number.lower()}/").json()
    assert detail["counties"] == ["451031"] and detail["history"][0]["to_status"] == "registered"


def test_a_holder_sees_only_its_own(api, users, gi, sh_gi):
    api.force_authenticate(users["sh_applicant"])
    assert [r["number"] for r in api.get("/api/v1/gi/registrations/").json()["results"]] == [sh_gi.number]
    assert api.get(f"/api/v1/gi/registrations/{gi.number}/").status_code == 404


def test_authorise_through_the_api_and_list_with_effective_status(api, users, gi, producer, gx_entity):
    api.force_authenticate(users["gx_province"])
    body = {"registration": gi.number, "user_entity_uscc": producer.uscc, "product": "黑山羊", "quantity": "200",
            "unit": "只", "valid_from": "2020-01-01", "valid_until": "2020-12-31"}

    created = api.post("/api/v1/gi/authorizations/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["effective_status"] == "expired"

    overlapping = api.post("/api/v1/gi/authorizations/", {**body, "valid_from": "2020-06-01"}, format="json")
    assert overlapping.status_code == 400 and "valid_from" in overlapping.json()["fields"]

    outside = api.post("/api/v1/gi/authorizations/", {**body, "user_entity_uscc": gx_entity.uscc}, format="json")
    assert outside.status_code == 400
    assert "不在该地理标志的地域范围内" in outside.json()["fields"]["user_entity_uscc"][0]

    listed = api.get("/api/v1/gi/authorizations/", {"status": "expired"}).json()
    assert [a["user_entity"]["name"] for a in listed["results"]] == ["隆林德峨养殖合作社"]
    assert api.get("/api/v1/gi/authorizations/", {"status": "valid"}).json()["count"] == 0
    assert GIAuthorization.objects.count() == 1


def test_authorising_on_another_regions_registration_is_404(api, users, sh_gi, producer):
    api.force_authenticate(users["gx_province"])
    response = api.post("/api/v1/gi/authorizations/", {
        "registration": sh_gi.number, "user_entity_uscc": producer.uscc, "product": "x", "quantity": "1",
        "unit": "吨", "valid_from": "2026-01-01", "valid_until": "2026-12-31"}, format="json")
    assert response.status_code == 404


def test_an_expert_may_not_authorise(api, users, gi, producer):
    api.force_authenticate(users["expert"])
    response = api.post("/api/v1/gi/authorizations/", {"registration": gi.number}, format="json")
    assert response.status_code == 403


def test_public_verification_needs_no_sign_in_and_shows_only_public_facts(api, gi):
    response = api.get(f"/api/v1/public/gi/{gi.number}/")

    assert response.status_code == 200
    body = response.json()
    assert body == {"number": "AGI01234", "product_name": "隆林黑山羊", "holder": "隆林县黑山羊协会",
                    "scope_text": body["scope_text"], "registered_on": "2015-06-01", "status": "registered"}
    assert "隆林" in body["scope_text"]
    missing = api.get("/api/v1/public/gi/AGI00000/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_roles_without_gi_access_get_403(api, users, gi):
    api.force_authenticate(users["expert"])
    assert api.get("/api/v1/gi/registrations/").status_code == 403
    assert api.get(f"/api/v1/gi/registrations/{gi.number}/").status_code == 403
    assert api.get("/api/v1/gi/authorizations/").status_code == 403
