"""The library as the public and staff see it: only published documents are public, files are
served after a permission check, out-of-scope pages answer 404, and the procedure pages drive
the transitions."""

import datetime

import pytest

from sanpin.knowledge import services
from sanpin.knowledge.models import Procedure

from .conftest import PDF, make_procedure, make_standard, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(users, regions, today):
    return {
        "standard": make_standard(users["national"], upload=pdf(), file_public=True),
        "closed": make_standard(users["national"], "NY/T 394-2021", title="绿色食品 肥料使用准则",
                                published_on=datetime.date(2021, 5, 7), effective_on=datetime.date(2021, 11, 1),
                                upload=pdf()),
        "published": make_procedure(users["gx_province"], regions["450000"], title="沃柑生产操作规程"),
        "draft": make_procedure(users["gx_province"], regions["450000"], title="香蕉明白纸草稿", publish=False),
        "retired": services.procedure_transition(
            actor=users["sh_province"], action="retire", reason="新版本",
            procedure=make_procedure(users["sh_province"], regions["310000"], title="茭白旧规程")),
    }


def test_the_public_sees_only_published_documents(client, api, library):
    page = client.get("/knowledge/?tab=procedures").content.decode()
    assert "沃柑生产操作规程" in page and "香蕉明白纸草稿" not in page and "茭白旧规程" not in page
    assert client.get(f"/knowledge/procedures/{library['draft'].pk}/").status_code == 404
    assert client.get(f"/knowledge/procedures/{library['retired'].pk}/").status_code == 404
    assert client.get(f"/knowledge/procedures/{library['published'].pk}/").status_code == 200
    body = api.get("/api/v1/public/procedures/").json()
    assert [r["title"] for r in body["results"]] == ["沃柑生产操作规程"]
    assert api.get("/api/v1/public/procedures/?region=450102").json()["count"] == 1  # a province's, for its county
    assert api.get("/api/v1/public/procedures/?region=310000").json()["count"] == 0
    assert api.get("/api/v1/public/procedures/?kind=nonsense").status_code == 400


def test_the_public_standard_list_filters_by_status(client, api, users, library):
    services.standard_withdraw(actor=users["national"], standard=library["standard"],
                               withdrawn_on=datetime.date(2026, 1, 1), reason="公告")
    body = api.get("/api/v1/public/standards/?status=current").json()
    assert [r["number"] for r in body["results"]] == ["NY/T 394-2021"] and body["results"][0]["file_url"] is None
    withdrawn = api.get("/api/v1/public/standards/?status=withdrawn").json()["results"][0]
    assert withdrawn["status_label"] == "废止" and withdrawn["file_url"].endswith("/file/")
    assert "废止" in client.get("/knowledge/?status=withdrawn").content.decode()


def test_files_are_served_after_a_permission_check(client, users, library):
    assert client.get(f"/knowledge/standards/{library['standard'].pk}/file/").getvalue() == PDF
    assert client.get(f"/knowledge/standards/{library['closed'].pk}/file/").status_code == 404  # text not public
    assert client.get(f"/knowledge/procedures/{library['published'].pk}/file/").status_code == 200
    assert client.get(f"/knowledge/procedures/{library['draft'].pk}/file/").status_code == 404
    client.force_login(users["gx_applicant"])
    assert client.get(f"/knowledge/standards/{library['closed'].pk}/file/").status_code == 404
    client.force_login(users["sh_province"])
    assert client.get(f"/knowledge/standards/{library['closed'].pk}/file/").status_code == 200
    assert client.get(f"/knowledge/procedures/{library['draft'].pk}/file/").status_code == 404  # not its region
    client.force_login(users["nn_city"])
    assert client.get(f"/knowledge/procedures/{library['draft'].pk}/file/").status_code == 404  # the province's
    client.force_login(users["gx_province"])
    response = client.get(f"/knowledge/procedures/{library['draft'].pk}/file/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


def test_staff_pages_of_another_region_answer_404(client, users, regions, library):
    session = services.training_create(actor=users["sh_province"], kind="onsite", title="入户指导",
                                       held_on=datetime.date(2026, 5, 1), region=regions["310101"], location="黄浦",
                                       trainer="指导员")
    client.force_login(users["gx_province"])
    assert client.get(f"/knowledge/manage/procedures/{library['retired'].pk}/").status_code == 404
    assert client.get(f"/knowledge/trainings/{session.pk}/").status_code == 404
    assert "茭白旧规程" not in client.get("/knowledge/manage/").content.decode()
    assert client.post(f"/knowledge/manage/procedures/{library['retired'].pk}/publish/").status_code == 404


def test_the_procedure_page_publishes_and_refuses_what_the_table_does_not_allow(client, users, library):
    client.force_login(users["gx_province"])
    draft = library["draft"]
    assert client.post(f"/knowledge/manage/procedures/{draft.pk}/publish/").status_code == 302
    assert Procedure.objects.get(pk=draft.pk).status == "published"
    again = client.post(f"/knowledge/manage/procedures/{draft.pk}/publish/")
    assert again.status_code == 409 and "不允许" in again.content.decode()
    client.force_login(users["inspector"])  # inspectors read, they do not publish
    assert client.post(f"/knowledge/manage/procedures/{draft.pk}/retire/", {"reason": "x"}).status_code == 403


def test_staff_draft_a_procedure_through_the_form(client, users, library):
    client.force_login(users["nn_city"])
    form = {"title": "南宁沃柑明白纸", "kind": "sheet", "product": "沃柑", "product_field": "crops",
            "region": "450100", "issuing_agency": "南宁市农业农村局", "issued_on": "2026-06-01", "version": "第1版",
            "standards": [library["standard"].pk], "file": pdf()}
    created = client.post("/knowledge/manage/procedures/new/", form)
    assert created.status_code == 302
    procedure = Procedure.objects.get(title="南宁沃柑明白纸")
    assert procedure.status == "draft" and procedure.has_file
    assert list(procedure.standards.all()) == [library["standard"]]
    form.update(title="全区明白纸", region="450000", file=pdf())
    refused = client.post("/knowledge/manage/procedures/new/", form)
    assert refused.status_code == 400 and not Procedure.objects.filter(title="全区明白纸").exists()
