"""The bases API: the scoped list with the list page's filters, entering and correcting a base
with structured errors, applying for acceptance, yearly checks and removal."""

import datetime

import pytest
from django.db import transaction

from sanpin.bases import services
from sanpin.bases.models import Base, BaseCheck
from sanpin.certificates.tests.factories import issue
from sanpin.certification.models import Application
from sanpin.gap.tests.factories import record_gap

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()



def body(entity, **extra):
    return {"name": "兴宁区沙田柚绿色食品原料基地", "base_type": "GF", "level": "district", "operator": entity.uscc,
            "county": "450102", "products": "沙田柚", "varieties": "沙田柚", "area_mu": 5200, "output_tons": "8000",
            "location": "兴宁区五塘镇", "coverage": "五塘镇", "techniques": "绿色防控", "responsible_person": "黄建国",
            **extra}


def make_base(actor, entity, county, name="兴宁区沙田柚绿色食品原料基地", **extra):
    values = {"base_type": "GF", "level": "district", "products": "沙田柚", "area_mu": "5200", "output_tons": "8000",
              "location": "兴宁区五塘镇", **extra}
    return services.base_create(actor=actor, name=name, operator=entity, county=county, **values)


def listed(base, actor):
    with transaction.atomic():
        return services.base_list(actor=actor, base=base, reference="JD2025-TEST")


def test_staff_enter_a_base_and_get_it_back_with_labels(api, people, gx_entity):
    api.force_authenticate(people["xn_county"])
    created = api.post("/api/v1/bases/", body(gx_entity), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["base_type_label"] == "绿色食品原料标准化生产基地" and data["level_label"] == "区（县）级"
    assert data["status"] == "building" and data["status_label"] == "按标建设"
    assert data["operator"]["uscc"] == gx_entity.uscc and data["county"]["code"] == "450102"
    assert data["area_mu"] == "5200.00" and data["directory_number"] == ""
    assert [h["to_status"] for h in data["history"]] == ["building"]


def test_bad_input_answers_the_error_body_naming_every_field_and_writes_nothing(api, people, gx_entity):
    api.force_authenticate(people["xn_county"])
    refused = api.post("/api/v1/bases/", body(gx_entity, name="", base_type="XX", county="999999", area_mu="abc",
                                              output_tons=-1, longitude="200"), format="json")
    assert refused.status_code == 400
    error = refused.json()
    assert error["code"] == "invalid" and error["message"] == "基地信息有误"
    assert set(error["fields"]) == {"name", "base_type", "county", "area_mu", "output_tons", "longitude"}
    assert error["fields"]["area_mu"] == ["应为数字"]
    assert not Base.objects.exists()


def test_create_is_for_agency_staff_of_the_county(api, people, gx_entity, sh_entity):
    api.force_authenticate(people["gx_applicant"])
    assert api.post("/api/v1/bases/", body(gx_entity), format="json").status_code == 403
    api.force_authenticate(people["xn_county"])
    other = api.post("/api/v1/bases/", body(gx_entity, county="450103"), format="json")
    assert other.status_code == 400 and other.json()["fields"]["county"] == ["该基地不在本账号管辖范围内"]
    # Linked certificates must be the operator's own
    theirs = issue(sh_entity, approved_on=TODAY - datetime.timedelta(days=10))
    linked = api.post("/api/v1/bases/", body(gx_entity, certificates=[theirs.number]), format="json")
    assert linked.status_code == 400 and "certificates" in linked.json()["fields"]
    unknown = api.post("/api/v1/bases/", body(gx_entity, certificates=["NO-SUCH"]), format="json")
    assert unknown.status_code == 400 and "NO-SUCH" in unknown.json()["fields"]["certificates"][0]
    assert not Base.objects.exists()


def test_the_list_is_scoped_and_filtered(api, people, gx_entity, regions):
    make_base(people["xn_county"], gx_entity, regions["450102"])
    make_base(people["qx_county"], gx_entity, regions["450103"], name="青秀区茉莉花基地", products="茉莉花",
              level="provincial")
    api.force_authenticate(people["xn_county"])
    rows = api.get("/api/v1/bases/").json()
    assert rows["count"] == 1 and rows["results"][0]["name"] == "兴宁区沙田柚绿色食品原料基地"
    api.force_authenticate(people["nn_city"])
    assert api.get("/api/v1/bases/").json()["count"] == 2
    names = [r["name"] for r in api.get("/api/v1/bases/", {"level": "provincial"}).json()["results"]]
    assert names == ["青秀区茉莉花基地"]
    names = [r["name"] for r in api.get("/api/v1/bases/", {"q": "沙田柚"}).json()["results"]]
    assert names == ["兴宁区沙田柚绿色食品原料基地"]
    bad = api.get("/api/v1/bases/", {"status": "nonsense"})
    assert bad.status_code == 400 and "status" in bad.json()["fields"]
    api.force_authenticate(people["sh_province"])
    assert api.get("/api/v1/bases/").json()["count"] == 0
    api.force_authenticate(people["expert"])
    assert api.get("/api/v1/bases/").status_code == 403


def test_detail_and_patch_in_scope_only(api, people, gx_entity, regions):
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    gap = record_gap(people["gx_province"], gx_entity)
    api.force_authenticate(people["qx_county"])
    assert api.get(f"/api/v1/bases/{base.pk}/").status_code == 404
    assert api.patch(f"/api/v1/bases/{base.pk}/", {"area_mu": "1"}, format="json").status_code == 404
    api.force_authenticate(people["gx_applicant"])
    assert api.get(f"/api/v1/bases/{base.pk}/").status_code == 200
    assert api.patch(f"/api/v1/bases/{base.pk}/", {"area_mu": "1"}, format="json").status_code == 403

    api.force_authenticate(people["xn_county"])
    changed = api.patch(f"/api/v1/bases/{base.pk}/", {"output_tons": "9000.5", "gap_certificates": [gap.pk]},
                        format="json")
    assert changed.status_code == 200, changed.json()
    data = changed.json()
    assert data["output_tons"] == "9000.50" and data["area_mu"] == "5200.00"  # the rest kept
    assert data["gap_certificates"] == [{"id": gap.pk, "number": gap.number, "certifier": gap.certifier}]
    refused = api.patch(f"/api/v1/bases/{base.pk}/", {"area_mu": "20000000"}, format="json")
    assert refused.status_code == 400 and "请检查单位" in refused.json()["fields"]["area_mu"][0]
    base.refresh_from_db()
    assert str(base.output_tons) == "9000.50" and str(base.area_mu) == "5200.00"


def test_the_operator_applies_and_gets_a_draft_application_of_its_own(api, people, gx_entity, regions):
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    api.force_authenticate(people["xn_county"])
    assert api.post(f"/api/v1/bases/{base.pk}/apply/").status_code == 403
    api.force_authenticate(people["sh_applicant"])
    assert api.post(f"/api/v1/bases/{base.pk}/apply/").status_code == 404

    api.force_authenticate(people["gx_applicant"])
    applied = api.post(f"/api/v1/bases/{base.pk}/apply/")
    assert applied.status_code == 201
    application = Application.objects.get(pk=applied.json()["id"])
    assert application.scheme == "base" and application.state == "draft" and application.entity == gx_entity
    assert applied.json()["state"] == "draft"
    base.refresh_from_db()
    assert base.listing_application == application
    again = api.post(f"/api/v1/bases/{base.pk}/apply/")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert api.get(f"/api/v1/bases/{base.pk}/").json()["listing_application"]["id"] == application.pk


def test_yearly_check_once_a_year(api, people, gx_entity, regions):
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    check = {"year": TODAY.year, "checked_on": str(TODAY), "result": "passed", "sampling": "passed"}
    api.force_authenticate(people["xn_county"])
    not_listed = api.post(f"/api/v1/bases/{base.pk}/checks/", check, format="json")
    assert not_listed.status_code == 409
    listed(base, people["nn_city"])
    failed = api.post(f"/api/v1/bases/{base.pk}/checks/", {**check, "result": "failed"}, format="json")
    assert failed.status_code == 400 and "findings" in failed.json()["fields"]
    created = api.post(f"/api/v1/bases/{base.pk}/checks/", check, format="json")
    assert created.status_code == 201 and created.json()["sampling_label"] == "抽检合格"
    second = api.post(f"/api/v1/bases/{base.pk}/checks/", check, format="json")
    assert second.status_code == 409 and "已登记" in second.json()["message"]
    assert BaseCheck.objects.filter(base=base).count() == 1
    assert [c["year"] for c in api.get(f"/api/v1/bases/{base.pk}/").json()["checks"]] == [TODAY.year]


def test_removal_needs_cause_and_reason_and_is_in_the_history(api, people, gx_entity, regions):
    base = make_base(people["xn_county"], gx_entity, regions["450102"])
    listed(base, people["nn_city"])
    api.force_authenticate(people["qx_county"])
    assert api.post(f"/api/v1/bases/{base.pk}/remove/", {"cause": "violation", "reason": "x"},
                    format="json").status_code == 404
    api.force_authenticate(people["xn_county"])
    missing = api.post(f"/api/v1/bases/{base.pk}/remove/", {"cause": "", "reason": ""}, format="json")
    assert missing.status_code == 400 and set(missing.json()["fields"]) == {"cause", "reason"}
    blank = api.post(f"/api/v1/bases/{base.pk}/remove/", {"cause": "violation", "reason": "   "}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()["fields"]
    removed = api.post(f"/api/v1/bases/{base.pk}/remove/", {"cause": "violation", "reason": "违规使用禁用农药"},
                       format="json")
    assert removed.status_code == 200
    data = removed.json()
    assert data["status"] == "removed" and data["removal_cause_label"] == "存在违规违法行为"
    assert [h["to_status"] for h in data["history"]] == ["building", "listed", "removed"]
    assert api.post(f"/api/v1/bases/{base.pk}/remove/", {"cause": "violation", "reason": "x"},
                    format="json").status_code == 409
    assert api.patch(f"/api/v1/bases/{base.pk}/", {"area_mu": "1"}, format="json").status_code == 409
