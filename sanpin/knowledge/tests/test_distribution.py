"""Deliveries and training: many recipients at once, all or nothing; scope between provinces;
what an organisation sees of its own."""

import datetime

import pytest

from sanpin.bases import services as bases
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.core.errors import ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.knowledge import services
from sanpin.knowledge.models import Attendance, Distribution

from .conftest import make_procedure, make_standard

pytestmark = pytest.mark.django_db
D = datetime.date


def make_base(actor, entity, county, name):
    return bases.base_create(actor=actor, name=name, operator=entity, county=county, base_type="GF",
                             level="district", products="沃柑", area_mu="100", output_tons="300", location="某镇")


@pytest.fixture
def world(users, regions, gx_entity, sh_entity, today):
    gx2 = EntityFactory(name="南宁青秀沃柑合作社", region=regions["450103"])
    base = make_base(users["gx_province"], gx_entity, regions["450102"], "兴宁沃柑基地")
    return {
        "standard": make_standard(users["national"]),
        "procedure": make_procedure(users["gx_province"], regions["450000"]),
        "gx2": gx2, "base": base,
        "sh_base": make_base(users["sh_province"], sh_entity, regions["310101"], "黄浦茭白基地"),
    }


MAY_10 = D(2026, 5, 10)


def deliver(actor, recipients, *, standard=None, procedure=None, day=MAY_10, copies=2):
    return services.distribution_record(actor=actor, standard=standard, procedure=procedure, recipients=recipients,
                                        delivered_on=day, means="paper", copies=copies, delivered_by="韦丽萍")


def test_one_document_reaches_many_recipients_in_one_batch(users, gx_entity, world):
    rows = deliver(users["gx_province"], [gx_entity.uscc, world["gx2"].uscc.lower(), "兴宁沃柑基地"],
                   procedure=world["procedure"])
    assert len(rows) == 3 and len({r.batch for r in rows}) == 1
    by_base = Distribution.objects.get(base=world["base"])
    assert by_base.entity == gx_entity and by_base.region_id == "450102"  # the operator is reached too
    assert AuditEvent.objects.filter(verb="knowledge.distribution.record").count() == 1


def test_one_bad_recipient_writes_nothing_and_every_bad_line_is_named(users, gx_entity, sh_entity, world):
    lines = [gx_entity.uscc, world["gx2"].uscc, sh_entity.uscc, "91450000MA5XXXXXXX", gx_entity.uscc, "不存在的基地"]
    with pytest.raises(ValidationFailed) as err:
        deliver(users["gx_province"], lines, standard=world["standard"])
    problems = err.value.fields["recipients"]
    assert [p.split(" ")[1] for p in problems] == ["3", "4", "5", "6"]  # Shanghai, unknown, repeated, unknown base
    assert "与前面的行重复" in problems[2]
    assert not Distribution.objects.exists()
    assert not AuditEvent.objects.filter(verb="knowledge.distribution.record").exists()


def test_a_delivery_is_refused_for_bad_fields_and_for_a_repeat_on_the_same_day(users, gx_entity, world):
    with pytest.raises(ValidationFailed) as err:
        services.distribution_record(actor=users["gx_province"], standard=world["standard"],
                                     procedure=world["procedure"], recipients=[], delivered_on=D(2026, 7, 1),
                                     means="pigeon", copies=0, delivered_by="")
    assert set(err.value.fields) == {"document", "recipients", "delivered_on", "means", "copies", "delivered_by"}
    deliver(users["gx_province"], [gx_entity.uscc], standard=world["standard"])
    with pytest.raises(ValidationFailed) as err:
        deliver(users["gx_province"], [world["gx2"].uscc, gx_entity.uscc], standard=world["standard"])
    assert "当天已登记" in err.value.fields["recipients"][0]
    assert Distribution.objects.count() == 1


def test_only_published_documents_and_standards_in_force_are_delivered(users, regions, gx_entity, world):
    draft = make_procedure(users["gx_province"], regions["450000"], title="草稿", publish=False)
    with pytest.raises(ValidationFailed) as err:
        deliver(users["gx_province"], [gx_entity.uscc], procedure=draft)
    assert "已发布" in err.value.fields["document"][0]
    services.standard_withdraw(actor=users["national"], standard=world["standard"], withdrawn_on=D(2026, 5, 1),
                               reason="公告")
    with pytest.raises(ValidationFailed):
        deliver(users["gx_province"], [gx_entity.uscc], standard=world["standard"], day=D(2026, 5, 10))
    assert len(deliver(users["gx_province"], [gx_entity.uscc], standard=world["standard"], day=D(2026, 4, 30))) == 1


def test_attendance_is_all_or_nothing_and_stays_in_the_sessions_region(users, regions, gx_entity, sh_entity, world):
    session = services.training_create(actor=users["gx_province"], kind="internal_inspector", title="内检员培训班",
                                       held_on=D(2026, 4, 1), region=regions["450100"], location="南宁",
                                       trainer="黄老师", standards=[world["standard"]], procedures=[world["procedure"]])
    with pytest.raises(ValidationFailed) as err:
        services.training_record_attendance(actor=users["gx_province"], session=session,
                                            rows=[(gx_entity.uscc, 3), (world["gx2"].uscc, "三"), (sh_entity.uscc, 1)])
    assert len(err.value.fields["rows"]) == 2 and not Attendance.objects.exists()
    rows = services.training_record_attendance(actor=users["gx_province"], session=session,
                                               rows=[(gx_entity.uscc, 3), ("兴宁沃柑基地", 1)])
    assert [(a.entity, a.people) for a in rows] == [(gx_entity, 3), (gx_entity, 1)]
    with pytest.raises(ValidationFailed):
        services.training_record_attendance(actor=users["gx_province"], session=session, rows=[(gx_entity.uscc, 1)])


def test_guangxi_staff_neither_see_nor_reach_shanghai_deliveries(client, api, users, sh_entity, world):
    shanghai = deliver(users["sh_province"], [sh_entity.uscc, "黄浦茭白基地"], standard=world["standard"])
    assert not Distribution.objects.restrict(users["gx_province"], "view").exists()
    api.force_authenticate(users["gx_province"])
    assert api.get("/api/v1/knowledge/distributions/").json()["count"] == 0
    client.force_login(users["gx_province"])
    page = client.get("/knowledge/distributions/")
    assert page.status_code == 200 and sh_entity.name not in page.content.decode()
    for row in shanghai:
        assert api.get(f"/api/v1/knowledge/distributions/{row.pk}/").status_code == 404
    with pytest.raises(ValidationFailed):  # a Shanghai recipient reads as not found
        deliver(users["gx_province"], [sh_entity.uscc], standard=world["standard"], day=D(2026, 5, 11))
    api.force_authenticate(users["sh_province"])
    listed = api.get("/api/v1/knowledge/distributions/").json()
    assert {r["id"] for r in listed["results"]} == {r.pk for r in shanghai}
    assert api.get(f"/api/v1/knowledge/distributions/{shanghai[0].pk}/").json()["entity"]["uscc"] == sh_entity.uscc


def test_the_api_records_a_batch_or_answers_400_with_every_bad_line(api, users, gx_entity, sh_entity, world):
    api.force_authenticate(users["gx_province"])
    body = {"standard": "NY/T 393-2020", "recipients": [gx_entity.uscc, sh_entity.uscc], "delivered_on": "2026-05-10",
            "means": "electronic", "copies": 1, "delivered_by": "韦丽萍"}
    refused = api.post("/api/v1/knowledge/distributions/", body, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"code", "message", "fields"} and len(refused.json()["fields"]["recipients"]) == 1
    assert not Distribution.objects.exists()
    body["recipients"] = [gx_entity.uscc, world["gx2"].uscc]
    created = api.post("/api/v1/knowledge/distributions/", body, format="json")
    assert created.status_code == 201, created.json()
    assert [r["entity"]["uscc"] for r in created.json()] == [gx_entity.uscc, world["gx2"].uscc]
    api.force_authenticate(users["gx_applicant"])
    assert api.post("/api/v1/knowledge/distributions/", body, format="json").status_code == 403
    mine = api.get("/api/v1/knowledge/distributions/").json()
    assert [r["entity"]["uscc"] for r in mine["results"]] == [gx_entity.uscc]


def test_an_organisation_sees_what_it_and_its_bases_received(client, users, regions, gx_entity, world):
    deliver(users["gx_province"], [gx_entity.uscc, world["gx2"].uscc], standard=world["standard"])
    deliver(users["gx_province"], ["兴宁沃柑基地"], procedure=world["procedure"])
    client.force_login(users["gx_applicant"])
    page = client.get("/knowledge/mine/").content.decode()
    assert "NY/T 393-2020" in page and "沃柑绿色食品生产操作规程" in page and "兴宁沃柑基地" in page
    client.force_login(users["sh_applicant"])
    assert "NY/T 393-2020" not in client.get("/knowledge/mine/").content.decode()


def test_the_distribution_form_records_a_batch_and_shows_refusals(client, users, gx_entity, sh_entity, world):
    client.force_login(users["gx_province"])
    form = {"document": f"s{world['standard'].pk}", "recipients": f"{gx_entity.uscc}\n{sh_entity.uscc}\n",
            "delivered_on": "2026-05-10", "means": "paper", "copies": "2", "delivered_by": "韦丽萍"}
    refused = client.post("/knowledge/distributions/new/", form)
    assert refused.status_code == 400 and "第 2 行" in refused.content.decode()
    assert not Distribution.objects.exists()
    form["recipients"] = f"{gx_entity.uscc}\n兴宁沃柑基地"
    assert client.post("/knowledge/distributions/new/", form).status_code == 302
    assert Distribution.objects.count() == 2
