"""Label PDFs of 合格证: every size has its page size, the Chinese text with an embedded Noto CJK
font, and a QR code that decodes (rendered by pdfium, read by zxing-cpp) to the signed public URL;
only the issuer and staff in scope may print."""

import datetime
import io
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.compliance import codes, labels
from sanpin.compliance.choices import CommitmentBasis, ProductCategory, Status
from sanpin.compliance.models import ComplianceCertificate

URL = "/compliance/labels/"
MM = 72 / 25.4


def make_certificate(issuer, user, *, product="沙田柚", **extra):
    """A 合格证 written directly (issuing is another part's service)."""
    issued_at = timezone.make_aware(datetime.datetime(2026, 3, 1, 8, 0))
    fields = dict(product_name=product, category=ProductCategory.FRUIT, quantity=Decimal("500.000"), unit="公斤",
                  origin="广西南宁市兴宁区五塘镇", contact_phone="0771-5321234",
                  basis=CommitmentBasis.COMMISSIONED_TEST, test_report_no="GX2026-0123",
                  mark_number="LB-18-2603451234A", issued_by=user)
    fields.update(extra)
    return ComplianceCertificate.objects.create(
        code=codes.new_code(issuer.region_id, issued_at), issued_at=issued_at, region_id=issuer.region_id,
        issuer=issuer, **fields)


@pytest.fixture
def cert(users, gx_entity):
    return make_certificate(gx_entity, users["gx_applicant"])


@pytest.fixture
def buyer(regions):
    market = EntityFactory(name="南宁五里亭蔬菜批发市场", kind=EntityKind.PURCHASER, region=regions["450103"])
    return UserFactory(username="buyer", roles=[Role.PURCHASER], entity=market)


def pdf_of(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def qr_texts(pdf: bytes, page: int = 0) -> list[str]:
    """The QR codes on a page, rendered at 300 dpi and read by zxing-cpp."""
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=300 / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.django_db
@pytest.mark.parametrize("size", list(labels.SIZES))
def test_each_size_has_its_page_size_and_a_qr_code_that_decodes_to_the_signed_url(client, users, cert, size):
    pdf = pdf_of(client, users["gx_applicant"], code=cert.code, size=size)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (float(value) for value in reader.pages[0].mediabox.upper_right)
    expected = labels.SIZES[size].page_size
    assert (round(width / MM, 1), round(height / MM, 1)) == expected
    assert qr_texts(pdf) == [codes.scan_url(cert.code)]
    assert codes.read_scan(qr_texts(pdf)[0]) == (cert.code, codes.VALID)


@pytest.mark.django_db
def test_the_label_has_the_chinese_text_and_an_embedded_noto_cjk_font(client, users, cert):
    pdf = pdf_of(client, users["gx_applicant"], code=cert.code, size="100x70")

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    text = page.extract_text().replace("\n", "")
    for expected in ("承诺达标合格证", "沙田柚", "500 公斤", "广西绿源农业有限公司", "广西南宁市兴宁区五塘镇",
                     "0771-5321234", "2026年3月1日", "委托检测合格", "GX2026-0123", "LB-18-2603451234A",
                     cert.code, "不使用禁用农药兽药"):
        assert expected in text, expected
    embedded = []
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = (font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
        if any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            embedded.append(str(font["/BaseFont"]))
    assert any("Noto" in name and "CJK" in name for name in embedded), embedded


@pytest.mark.django_db
def test_an_a4_sheet_holds_24_labels_and_the_rest_go_on_the_next_sheet(client, users, gx_entity):
    certificates = [make_certificate(gx_entity, users["gx_applicant"], product=f"蔬菜{n}") for n in range(3)]
    client.force_login(users["gx_applicant"])

    response = client.post(URL, {"code": [c.code for c in certificates], "size": "a4-3x8", "copies": "10"})

    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    assert all((round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM)) == (210, 297)
               for p in reader.pages)
    first, second = qr_texts(response.content, 0), qr_texts(response.content, 1)
    assert (len(first), len(second)) == (24, 6)
    assert set(first + second) == {codes.scan_url(c.code) for c in certificates}
    assert "hegezheng-20" in response["Content-Disposition"] and "-3-a4-3x8.pdf" in response["Content-Disposition"]


@pytest.mark.django_db
def test_single_labels_come_one_per_page_in_the_order_asked(client, users, gx_entity):
    first, second = (make_certificate(gx_entity, users["gx_applicant"], product=name) for name in ("芥菜", "菜心"))

    pdf = pdf_of(client, users["gx_applicant"], code=f"{second.code},{first.code}", size="60x40")

    reader = PdfReader(io.BytesIO(pdf))
    assert [("菜心" in p.extract_text(), "芥菜" in p.extract_text()) for p in reader.pages] == [(True, False),
                                                                                              (False, True)]


@pytest.mark.django_db
def test_only_the_issuer_and_staff_in_scope_may_print(client, users, cert, buyer):
    params = {"code": cert.code, "size": "60x40"}
    assert client.get(URL, params).status_code == 302  # anonymous → sign in
    for name, status in (("gx_applicant", 200), ("gx_province", 200), ("nn_city", 200), ("sh_applicant", 404),
                         ("sh_province", 404), ("bs_city", 404), ("expert", 403)):
        client.force_login(users[name])
        assert client.get(URL, params).status_code == status, name
    client.force_login(buyer)  # a purchaser that did not issue it (receiving gives no right to print)
    response = client.get(URL, params)
    assert response.status_code == 404
    assert "沙田柚" not in response.content.decode()


@pytest.mark.django_db
def test_bad_requests_name_the_field(client, users, cert, gx_entity):
    client.force_login(users["gx_applicant"])
    voided = make_certificate(gx_entity, users["gx_applicant"], status=Status.VOIDED)
    malformed = cert.code[:-1] + str((int(cert.code[-1]) + 1) % 10)

    for params, status, text in (
        ({"code": cert.code, "size": "50x30"}, 400, "请选择标签尺寸"),
        ({"size": "60x40"}, 400, "请至少选择一张合格证"),
        ({"code": malformed, "size": "60x40"}, 400, "合格证编码格式不正确"),
        ({"code": cert.code, "size": "60x40", "copies": "0"}, 400, "份数"),
        ({"code": cert.code, "size": "60x40", "copies": str(labels.MAX_LABELS + 1)}, 400, "份数"),
        ({"code": voided.code, "size": "60x40"}, 409, "已作废"),
    ):
        response = client.get(URL, params)
        assert response.status_code == status, params
        assert text in response.content.decode(), params


@pytest.mark.django_db
def test_without_a_size_the_phone_page_offers_every_size(client, users, cert):
    client.force_login(users["gx_applicant"])

    response = client.get(URL, {"code": cert.code})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="viewport"' in page
    assert cert.code in page and "沙田柚 · 500 公斤" in page
    for key in labels.SIZES:
        assert f'value="{key}"' in page


def test_the_include_for_the_certificate_page_links_every_size():
    certificate = ComplianceCertificate(code="26034501021234567890")
    html = render_to_string("compliance/labels_choice.html", {"certificate": certificate})

    linked = {part.split('"')[0] for part in html.split('data-size="')[1:]}
    assert linked == set(labels.SIZES)
    assert "打印标签" in html
    assert f"/compliance/labels/?code={certificate.code}&amp;size=60x40" in html
    certificate.status = Status.VOIDED
    assert "打印标签" not in render_to_string("compliance/labels_choice.html", {"certificate": certificate})
