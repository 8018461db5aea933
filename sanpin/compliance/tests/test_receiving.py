"""收证 and 查验: receipts recorded, listed and kept; failed checks reported to the origin county and
recorded as violations; staff violations; scope isolation (decision 0028)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from sanpin.accounts.choices import AgencyLevel, Role
from sanpin.accounts.tests.factories import AgencyFactory, UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.compliance import codes, receiving
from sanpin.compliance.choices import CheckResult, CommitmentBasis, ProductCategory, Status, ViolationKind
from sanpin.compliance.models import ComplianceCertificate, Receipt, Violation
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.notifications.models import Notification

DAY = datetime.date(2026, 3, 10)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def make_certificate(issuer, *, quantity="100", unit="公斤", issued_at=None, user=None, **extra):
    """A 合格证 written directly (the issue service is another engineer's part)."""
    from sanpin.accounts.models import User

    issued_at = issued_at or timezone.make_aware(datetime.datetime(2026, 3, 1, 8, 0))
    fields = dict(product_name="小白菜", category=ProductCategory.VEGETABLE, quantity=Decimal(quantity), unit=unit,
                  origin="广西南宁市兴宁区", contact_phone="13800000000", basis=CommitmentBasis.QUALITY_CONTROL,
                  issued_by=user or User.objects.filter(entity=issuer).first() or User.objects.first())
    fields.update(extra)
    return ComplianceCertificate.objects.create(
        code=codes.new_code(issuer.region_id, issued_at), issued_at=issued_at, region_id=issuer.region_id,
        issuer=issuer, **fields)


@pytest.fixture(autouse=True)
def _media_and_day(settings, tmp_path, on_day):
    settings.MEDIA_ROOT = tmp_path / "media"
    on_day(DAY)


@pytest.fixture
def market(regions):
    return EntityFactory(name="南宁五里亭蔬菜批发市场", kind=EntityKind.PURCHASER, region=regions["450103"])


@pytest.fixture
def buyer(market):
    return UserFactory(username="buyer", roles=[Role.PURCHASER], entity=market)


@pytest.fixture
def sh_market(regions):
    return EntityFactory(name="上海江桥批发市场", kind=EntityKind.PURCHASER, region=regions["310104"])


@pytest.fixture
def sh_buyer(sh_market):
    return UserFactory(username="sh_buyer", roles=[Role.PURCHASER], entity=sh_market)


@pytest.fixture
def county_staff(regions, agencies):
    """The LOCAL_STAFF of the 兴宁区 agency: the origin county of gx_entity's certificates."""
    agency = AgencyFactory(name="兴宁区农业农村局", level=AgencyLevel.COUNTY, region=regions["450102"],
                           parent=agencies["nn"])
    return UserFactory(username="xn_county", roles=[Role.LOCAL_STAFF], agency=agency)


@pytest.fixture
def cert(users, gx_entity):
    return make_certificate(gx_entity, user=users["gx_applicant"])


def test_receipt_recorded_with_defaults_and_listed(users, buyer, cert):
    outcome = receiving.receipt_record(actor=buyer, code=cert.code, place="五里亭市场 3 号门")
    receipt = outcome.receipt
    assert receipt.quantity == cert.quantity  # defaults to the certificate's
    assert receipt.certificate_id == cert.pk and receipt.certificate_issued_at == cert.issued_at
    assert receipt.keep_until == datetime.date(2026, 9, 10)  # received date + 6 months
    assert receipt.check_result == CheckResult.CONFORMING and outcome.violation is None
    assert AuditEvent.objects.filter(verb="compliance.receive", target_id=str(receipt.pk)).count() == 1
    assert list(receiving.receipts(buyer)) == [receipt]
    # Staff of the receiver's region see it; the issuer (another entity) does not.
    assert list(receiving.receipts(users["nn_city"])) == [receipt]
    assert list(receiving.receipts(users["gx_applicant"])) == []


def test_a_scanned_url_is_read_and_a_forged_one_refused(buyer, cert):
    url = codes.scan_url(cert.code)
    assert receiving.receipt_record(actor=buyer, code=url, place="市场", quantity="10").receipt.code == cert.code
    forged = url.replace(cert.code, cert.code[:-5] + "00000")
    with pytest.raises(ValidationFailed) as exc:
        receiving.receipt_record(actor=buyer, code=forged, place="市场", quantity="10")
    assert "伪造" in exc.value.fields["code"][0]


def test_bad_input_is_refused_naming_the_field(buyer, cert):
    cases = [
        (dict(code="", place="市场"), "code"),
        (dict(code="26030000000000000000", place="市场"), "code"),  # unknown, no photo
        (dict(code=cert.code, place=""), "place"),
        (dict(code=cert.code, place="市场", quantity="0"), "quantity"),
        (dict(code=cert.code, place="市场", quantity="-3"), "quantity"),
        (dict(code=cert.code, place="市场", quantity="abc"), "quantity"),
        (dict(code=cert.code, place="市场", quantity="100.5"), "quantity"),  # more than the certificate
        (dict(code=cert.code, place="市场", check_result="nonsense"), "check_result"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationFailed) as exc:
            receiving.receipt_record(actor=buyer, **kwargs)
        assert field in exc.value.fields, kwargs
    assert not Receipt.objects.exists()


def test_receipts_of_one_certificate_never_exceed_it(buyer, cert):
    receiving.receipt_record(actor=buyer, code=cert.code, place="市场", quantity="60")
    with pytest.raises(ValidationFailed) as exc:
        receiving.receipt_record(actor=buyer, code=cert.code, place="市场", quantity="50")
    assert "本次最多 40公斤" in exc.value.fields["quantity"][0]
    receiving.receipt_record(actor=buyer, code=cert.code, place="市场", quantity="40")


def test_only_purchasers_receive(users, cert):
    for name in ("gx_applicant", "nn_city"):
        with pytest.raises(PermissionDenied):
            receiving.receipt_record(actor=users[name], code=cert.code, place="市场")


def test_a_voided_certificate_cannot_be_checked_conforming(buyer, cert):
    ComplianceCertificate.objects.filter(pk=cert.pk).update(status=Status.VOIDED)
    with pytest.raises(ValidationFailed) as exc:
        receiving.receipt_record(actor=buyer, code=cert.code, place="市场")
    assert "check_result" in exc.value.fields


def test_a_mismatch_is_reported_to_the_origin_county_and_recorded_as_a_violation(
        users, buyer, cert, county_staff, gx_entity):
    outcome = receiving.receipt_record(actor=buyer, code=cert.code, place="市场", quantity="30",
                                       check_result=CheckResult.MISMATCH, note="实为菜心，非小白菜")
    violation = outcome.violation
    assert violation.entity == gx_entity and violation.kind == ViolationKind.MISMATCH
    assert violation.code == cert.code and violation.occurred_on == DAY and "菜心" in violation.detail
    assert outcome.reported_to == [county_staff]
    notice = Notification.objects.get(recipient=county_staff)
    assert cert.code in notice.title and "合格证与货物不符" in notice.body
    # Not the city: the county has staff.
    assert not Notification.objects.filter(recipient=users["nn_city"]).exists()
    # The issuer's staff, the county and the city see the violation; Shanghai does not.
    assert list(receiving.violations(county_staff)) == [violation]
    assert list(receiving.violations(users["gx_applicant"])) == [violation]
    assert list(receiving.violations(users["sh_province"])) == []


def test_without_county_staff_the_city_is_notified(users, buyer, cert):
    outcome = receiving.receipt_record(actor=buyer, code=cert.code, place="市场", check_result=CheckResult.INCOMPLETE)
    assert outcome.reported_to == [users["nn_city"]]
    assert outcome.violation.kind == ViolationKind.FALSE_ISSUE


def test_a_paper_certificate_photo_is_stored_privately(buyer, market):
    photo = SimpleUploadedFile("paper.png", PNG, content_type="image/png")
    outcome = receiving.receipt_record(actor=buyer, code="", photo=photo, place="市场", quantity="12.5")
    receipt = outcome.receipt
    assert receipt.certificate_id is None and receipt.photo.name.startswith("compliance/receipts/")
    assert receipt.photo.read() == PNG
    # Content sniffed: a PDF named .png, or a text file, is refused.
    for name, content in (("fake.png", b"%PDF-1.4 x"), ("notes.txt", b"hello")):
        with pytest.raises(ValidationFailed) as exc:
            receiving.receipt_record(actor=buyer, photo=SimpleUploadedFile(name, content), place="市场",
                                     quantity="1")
        assert "photo" in exc.value.fields


def test_receipts_cannot_be_deleted_before_six_months(buyer, cert, on_day):
    receipt = receiving.receipt_record(actor=buyer, code=cert.code, place="市场").receipt
    with pytest.raises(Conflict), transaction.atomic():
        receipt.delete()
    with pytest.raises(Conflict), transaction.atomic():
        Receipt.objects.filter(pk=receipt.pk).delete()
    assert Receipt.objects.filter(pk=receipt.pk).exists()
    on_day(datetime.date(2026, 9, 11))  # after keep_until the rule no longer holds it
    Receipt.objects.filter(pk=receipt.pk).delete()
    assert not Receipt.objects.filter(pk=receipt.pk).exists()


def test_receipts_have_no_delete_path_in_the_admin(rf, users, buyer, cert):
    from django.contrib import admin

    receipt = receiving.receipt_record(actor=buyer, code=cert.code, place="市场").receipt
    model_admin = admin.site._registry[Receipt]
    request = rf.get("/admin/")
    request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert not model_admin.has_delete_permission(request, receipt)
    assert not model_admin.has_change_permission(request, receipt)
    assert not model_admin.has_add_permission(request)


def test_scope_isolation_of_receipts(users, buyer, sh_buyer, cert):
    mine = receiving.receipt_record(actor=buyer, code=cert.code, place="市场", quantity="10").receipt
    theirs = receiving.receipt_record(actor=sh_buyer, code=cert.code, place="江桥", quantity="10").receipt
    assert list(receiving.receipts(buyer)) == [mine]
    assert list(receiving.receipts(sh_buyer)) == [theirs]
    assert list(receiving.receipts(users["gx_province"])) == [mine]
    assert list(receiving.receipts(users["sh_province"])) == [theirs]
    from sanpin.core.errors import NotFound

    with pytest.raises(NotFound):
        receiving.receipt_in_scope(buyer, theirs.pk)


def test_staff_record_a_violation_in_their_region_only(users, gx_entity, sh_entity):
    violation = receiving.violation_record(actor=users["nn_city"], entity_id=gx_entity.pk,
                                           kind=ViolationKind.NOT_ISSUED, occurred_on=DAY, detail="抽查时未开具合格证")
    assert violation.reported_by == users["nn_city"]
    assert AuditEvent.objects.filter(verb="compliance.violation_record").count() == 1
    with pytest.raises(ValidationFailed) as exc:
        receiving.violation_record(actor=users["nn_city"], entity_id=sh_entity.pk, kind=ViolationKind.NOT_ISSUED,
                                   occurred_on=DAY, detail="x")
    assert "entity" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        receiving.violation_record(actor=users["nn_city"], entity_id=gx_entity.pk, kind="bad",
                                   occurred_on=DAY + datetime.timedelta(days=1), detail="")
    assert set(exc.value.fields) == {"kind", "occurred_on", "detail"}
    with pytest.raises(PermissionDenied):
        receiving.violation_record(actor=users["gx_applicant"], entity_id=gx_entity.pk,
                                   kind=ViolationKind.NOT_ISSUED, occurred_on=DAY, detail="x")
    assert Violation.objects.count() == 1


def test_the_receipts_page_pages_by_keyset(client, monkeypatch, users, buyer, gx_entity):
    from sanpin.compliance import views_receiving

    monkeypatch.setattr(views_receiving, "PAGE_SIZE", 2)
    made = [make_certificate(gx_entity, user=users["gx_applicant"]) for _ in range(3)]
    for n, c in enumerate(made):
        moment = timezone.make_aware(datetime.datetime(2026, 3, 9, 8, n))
        receiving.receipt_record(actor=buyer, code=c.code, place="市场", quantity="1", received_at=moment)
    client.force_login(buyer)
    first = client.get("/compliance/receipts/")
    body = first.content.decode()
    assert made[2].code in body and made[1].code in body and made[0].code not in body
    after = first.context["next_query"]
    second = client.get(f"/compliance/receipts/?{after}").content.decode()
    assert made[0].code in second and made[1].code not in second
