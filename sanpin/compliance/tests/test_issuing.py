"""Issuing 合格证: one, a batch of 10,000, idempotent retries, bad rows and uploads."""

import io

import pytest
from openpyxl import Workbook

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.compliance import codes, issuing
from sanpin.compliance.models import ComplianceCertificate, IssueKey
from sanpin.core.errors import Conflict, ValidationFailed
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/compliance-certificates/"


def item(n=0, **extra):
    return {"product_name": "西红柿", "category": "vegetable", "quantity": str(100 + n % 50), "unit": "公斤",
            "idempotency_key": f"phone-1-{n}", **extra}


@pytest.fixture
def producer(users):
    return users["gx_applicant"]


@pytest.fixture
def buyer(regions):
    market = EntityFactory(name="南宁五里亭蔬菜批发市场", kind="purchaser", region=regions["450102"])
    return UserFactory(username="buyer", roles=[Role.PURCHASER], entity=market)


def test_a_batch_of_ten_thousand_is_issued_in_one_request_and_a_retry_creates_nothing(api, producer, gx_entity):
    api.force_authenticate(producer)
    batch = [item(n) for n in range(10_000)]

    response = api.post(URL, batch, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["count"] == 10_000 and body["created"] == 10_000
    assert ComplianceCertificate.objects.filter(issuer=gx_entity).count() == 10_000
    codes_made = [row["code"] for row in body["results"]]
    assert len(set(codes_made)) == 10_000 and all(codes.well_formed(c) for c in codes_made)
    assert all(c[4:10] == gx_entity.region_id for c in codes_made)
    assert AuditEvent.objects.filter(verb="compliance.issue").count() == 1  # one event per batch

    retry = api.post(URL, batch, format="json")

    assert retry.status_code == 201
    assert retry.json()["created"] == 0
    assert [row["code"] for row in retry.json()["results"]] == codes_made
    assert ComplianceCertificate.objects.count() == 10_000 and IssueKey.objects.count() == 10_000


def test_a_key_reused_with_another_body_is_refused_with_409_naming_the_key(api, producer):
    api.force_authenticate(producer)
    assert api.post(URL, item(1), format="json").status_code == 201
    assert api.post(URL, item(1), format="json").status_code == 200  # same key, same body: the first one

    response = api.post(URL, [item(2), item(1, quantity="999")], format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert "phone-1-1" in response.json()["message"]
    assert ComplianceCertificate.objects.count() == 1  # item(2) was not written either


def test_bad_rows_are_named_and_nothing_is_written(api, producer):
    api.force_authenticate(producer)
    batch = [item(0), item(1, category="durian"), item(2, quantity="0"), item(3, quantity="-5"),
             item(4, basis="self_test")]

    response = api.post(URL, batch, format="json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert "未知的产品类别" in body["fields"]["1.category"][0]
    assert body["fields"]["2.quantity"] == ["数量必须大于零"]
    assert body["fields"]["3.quantity"] == ["数量必须大于零"]
    assert "检测报告编号" in body["fields"]["4.test_report_no"][0]
    assert "2、3、4、5" in body["message"]
    assert ComplianceCertificate.objects.count() == 0 and IssueKey.objects.count() == 0


def test_a_single_object_names_its_fields_plainly(api, producer):
    api.force_authenticate(producer)
    response = api.post(URL, {"product_name": "", "category": "fruit", "quantity": "abc"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"product_name", "quantity"}


def test_a_mark_number_must_be_in_the_registry(api, producer):
    api.force_authenticate(producer)
    response = api.post(URL, item(0, mark_number="LB-99-0000000000A"), format="json")
    assert response.status_code == 400
    assert "未查到标志编号" in response.json()["fields"]["mark_number"][0]


def test_staff_cannot_issue_and_purchasers_can(api, users, buyer):
    api.force_authenticate(users["gx_province"])
    assert api.post(URL, item(0), format="json").status_code == 403
    api.force_authenticate(buyer)
    assert api.post(URL, item(0), format="json").status_code == 201


def test_the_list_is_paged_by_keyset_and_scoped(api, producer, users):
    issuing.compliance_issue(actor=producer, items=[item(n) for n in range(120)])
    api.force_authenticate(producer)
    seen, url = [], URL + "?page_size=50"
    while url:
        page = api.get(url).json()
        assert page["count"] is None
        seen += [row["code"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 120
    api.force_authenticate(users["sh_province"])
    assert api.get(URL).json()["results"] == []  # another region's staff see none
    api.force_authenticate(users["gx_province"])
    assert len(api.get(URL).json()["results"]) == 50


def test_issue_page_prefills_the_producer_and_a_resent_form_makes_one_certificate(client, producer, gx_entity):
    client.force_login(producer)
    page = client.get("/compliance/new/")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["contact_phone"] == gx_entity.contact_phone and form.initial["idempotency_key"]
    data = {"product_name": "沙田柚", "category": "fruit", "quantity": "300", "unit": "公斤", "origin": "广西容县",
            "contact_phone": "13800000000", "basis": "quality_control", "idempotency_key": form.initial[
                "idempotency_key"]}

    first = client.post("/compliance/new/", data)
    again = client.post("/compliance/new/", data)

    assert first.status_code == 302 and again["Location"] == first["Location"]
    assert ComplianceCertificate.objects.count() == 1
    detail = client.get(first["Location"])
    assert "承诺达标合格证" in detail.content.decode() and "<svg" in detail.content.decode()


def test_issue_page_shows_field_errors(client, producer):
    client.force_login(producer)
    response = client.post("/compliance/new/", {"product_name": "沙田柚", "category": "fruit", "quantity": "0",
                                                "unit": "公斤", "origin": "广西容县", "contact_phone": "13800000000",
                                                "basis": "self_test"})
    assert response.status_code == 400
    assert "数量必须大于零" in response.content.decode()
    assert "检测报告编号" in response.content.decode()


def _csv(rows):
    header = "产品名称,产品类别,数量,单位,承诺依据,幂等键\n"
    return (header + "\n".join(rows) + "\n").encode()


def test_an_upload_dry_run_lists_every_bad_row_and_a_real_run_writes_nothing(producer):
    data = _csv(["西红柿,蔬菜,100,公斤,质量安全控制符合要求,k1", "榴莲,热带水果,10,公斤,,k2", "黄瓜,蔬菜,0,公斤,,k3",
                 "茄子,蔬菜,5,公斤,,k4,多余"])

    dry = issuing.compliance_issue_upload(actor=producer, data=data, file_name="a.csv", dry_run=True)

    assert [(p["row"], p["column"]) for p in dry.problems] == [(3, "产品类别"), (4, "数量"), (5, "")]
    assert "多于表头" in dry.problems[2]["reason"]
    real = issuing.compliance_issue_upload(actor=producer, data=data, file_name="a.csv", dry_run=False)
    assert not real.ok and ComplianceCertificate.objects.count() == 0


def test_a_good_xlsx_upload_issues_every_row(producer):
    book = Workbook()
    sheet = book.active
    sheet.append(["产品名称", "产品类别", "数量", "单位", "幂等键"])
    for n in range(30):
        sheet.append(["鸡蛋", "禽蛋", 20 + n, "箱", f"x{n}"])
    out = io.BytesIO()
    book.save(out)

    dry = issuing.compliance_issue_upload(actor=producer, data=out.getvalue(), file_name="a.xlsx", dry_run=True)
    assert dry.ok and dry.rows == 30 and ComplianceCertificate.objects.count() == 0
    real = issuing.compliance_issue_upload(actor=producer, data=out.getvalue(), file_name="a.xlsx", dry_run=False)
    assert real.ok and real.result.created_count == 30
    assert ComplianceCertificate.objects.filter(category="egg", unit="箱").count() == 30


def test_an_unreadable_upload_is_refused_as_a_whole(producer):
    with pytest.raises(ValidationFailed) as refused:
        issuing.compliance_issue_upload(actor=producer, data=b"\x00\x01garbage", file_name="a.xlsx", dry_run=True)
    assert "file" in refused.value.fields
    with pytest.raises(ValidationFailed, match="缺少列"):
        issuing.compliance_issue_upload(actor=producer, data="产品名称\n西红柿\n".encode(), file_name="a.csv",
                                        dry_run=True)


def test_the_upload_page_shows_the_problems(client, producer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(producer)
    upload = SimpleUploadedFile("a.csv", _csv(["黄瓜,蔬菜,-1,公斤,,k3"]), content_type="text/csv")
    response = client.post("/compliance/upload/", {"file": upload, "dry_run": "on"})
    assert response.status_code == 400
    assert "数量必须大于零" in response.content.decode()


def test_the_service_conflict_is_a_conflict(producer):
    issuing.compliance_issue(actor=producer, items=item(7))
    with pytest.raises(Conflict):
        issuing.compliance_issue(actor=producer, items=item(7, unit="斤"))


def test_the_benchmark_generator_writes_certificates_with_chains(users, regions):
    from django.core.management import call_command

    from sanpin.compliance import selectors
    from sanpin.compliance.models import SourceLink

    EntityFactory(name="南宁五里亭蔬菜批发市场", kind="purchaser", region=regions["450102"])
    call_command("generate_compliance", count=500, chains=True, seed=7, verbosity=0, stdout=io.StringIO())

    assert ComplianceCertificate.objects.count() == 500
    assert ComplianceCertificate.objects.filter(is_reissue=True).count() == 50
    assert SourceLink.objects.count() >= 100
    for certificate in ComplianceCertificate.objects.filter(is_reissue=True)[:10]:
        assert codes.well_formed(certificate.code)
        graph = selectors.chain(certificate)
        assert graph.producers and all(not p.is_reissue for p in graph.producers)
        assert all(p.issued_at < certificate.issued_at for p in graph.sources)
