"""有机码: batches within the approved output, 17-digit codes from a cryptographic source, unique,
verifiable in public and exported for reporting."""

import csv
import datetime
import io
from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanpin.certificates import organic_codes, selectors
from sanpin.certificates.models import Certifier, OrganicCode, OrganicCodeBatch
from sanpin.certificates.tests.factories import issue
from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def organic(holder, number="ORG-TEST-0001", approved_on=TODAY - datetime.timedelta(days=30), **extra):
    values = {"scheme": "organic", "category": "", "number": number, "product_name": "有机大米",
              "approved_output": Decimal("100"), "approved_on": approved_on, "valid_from": approved_on,
              "valid_until": approved_on + datetime.timedelta(days=364)}
    values.update(extra)
    return issue(holder, **values)


@pytest.fixture
def certifier():
    return Certifier.objects.create(name="测试有机认证中心", code="123", approval_number="CNCA-R-2002-123")


@pytest.fixture
def gx_organic(gx_entity):
    return organic(gx_entity)


def test_codes_are_17_digits_with_certifier_code_and_year(users, gx_organic, certifier):
    batch = organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic, certifier=certifier,
                                              count=50, quantity=Decimal("10"))

    codes = list(batch.codes.values_list("code", flat=True))
    assert len(codes) == 50 == len(set(codes))
    prefix = f"123{TODAY.year % 100:02d}"
    assert all(len(c) == 17 and c.isdigit() and c.startswith(prefix) for c in codes)
    assert (batch.year, batch.count, batch.quantity) == (TODAY.year, 50, Decimal("10"))


def test_random_part_comes_from_secrets_and_collisions_are_drawn_again(users, gx_organic, certifier):
    # Given a source that repeats itself before giving a new value
    values = iter([7, 7, 7, 8])
    with mock.patch("sanpin.certificates.organic_codes.secrets.randbelow", side_effect=lambda n: next(values)) as rb:
        batch = organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic,
                                                  certifier=certifier, count=2, quantity=1)

    # Then the codes are built from it, and the repeat was drawn again
    assert rb.call_args.args == (10**12,)
    year = f"{TODAY.year % 100:02d}"
    assert sorted(batch.codes.values_list("code", flat=True)) == [f"123{year}{7:012d}", f"123{year}{8:012d}"]


def test_a_code_already_issued_is_never_issued_again(users, gx_organic, certifier):
    first = organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic, certifier=certifier,
                                              count=1, quantity=1)
    taken = int(first.codes.get().code[5:])
    values = iter([taken, taken + 1])
    with mock.patch("sanpin.certificates.organic_codes.secrets.randbelow", side_effect=lambda n: next(values)):
        second = organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic,
                                                   certifier=certifier, count=1, quantity=1)

    assert second.codes.get().code.endswith(f"{taken + 1:012d}")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(counts=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=5))
def test_codes_are_unique_across_batches(users, gx_organic, certifier, counts):
    OrganicCode.objects.all().delete()
    OrganicCodeBatch.objects.all().delete()
    # A narrow random space forces collisions between and within batches
    with mock.patch("sanpin.certificates.organic_codes.RANDOM_SPACE", 400):
        for count in counts:
            organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic, certifier=certifier,
                                              count=count, quantity=Decimal("0.5"))

    codes = list(OrganicCode.objects.values_list("code", flat=True))
    assert len(codes) == sum(counts) == len(set(codes))


def test_quantity_ceiling_names_what_is_left(users, gx_organic, certifier):
    organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic, certifier=certifier,
                                      count=10, quantity=Decimal("70"))

    with pytest.raises(ValidationFailed) as exc:
        organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic, certifier=certifier,
                                          count=10, quantity=Decimal("30.5"))

    assert "剩余可发放数量为 30 吨" in str(exc.value.fields["quantity"])
    assert OrganicCodeBatch.objects.count() == 1 and OrganicCode.objects.count() == 10
    # The exact remainder is still allowed
    organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic, certifier=certifier,
                                      count=1, quantity=Decimal("30"))


@pytest.mark.parametrize("count", [0, -1, 100_001])
def test_count_outside_the_allowed_range_is_refused(users, gx_organic, certifier, count):
    with pytest.raises(ValidationFailed) as exc:
        organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic, certifier=certifier,
                                          count=count, quantity=1)
    assert "count" in exc.value.fields
    assert not OrganicCode.objects.exists()


def test_non_organic_certificate_is_refused(users, gx_entity, certifier):
    green_input = issue(gx_entity, approved_on=TODAY - datetime.timedelta(days=30))

    with pytest.raises(ValidationFailed) as exc:
        organic_codes.organic_codes_issue(actor=users["national"], certificate=green_input, certifier=certifier,
                                          count=1, quantity=1)

    assert "有机农产品" in str(exc.value.fields["certificate"])


def test_expired_certificate_is_refused(users, gx_entity, certifier):
    old = organic(gx_entity, approved_on=TODAY - datetime.timedelta(days=800))

    with pytest.raises(ValidationFailed) as exc:
        organic_codes.organic_codes_issue(actor=users["national"], certificate=old, certifier=certifier,
                                          count=1, quantity=1)

    assert "certificate" in exc.value.fields
    assert not OrganicCodeBatch.objects.exists()


def test_only_national_staff_issue(users, gx_organic, certifier):
    with pytest.raises(PermissionDenied):
        organic_codes.organic_codes_issue(actor=users["gx_province"], certificate=gx_organic, certifier=certifier,
                                          count=1, quantity=1)


def test_audit_records_counts_not_codes(users, gx_organic, certifier):
    batch = organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic, certifier=certifier,
                                              count=3, quantity=2)

    event = AuditEvent.objects.filter(verb="certificate.organic_codes_issue").get()
    assert event.new["count"] == 3
    assert not any(code in str(event.new) for code in batch.codes.values_list("code", flat=True))


def test_export_columns_and_rows(users, gx_organic, certifier):
    batch = organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic, certifier=certifier,
                                              count=4, quantity=2)

    rows = list(csv.reader(io.StringIO(organic_codes.organic_codes_export(batch))))

    assert rows[0] == ["certificate_number", "certifier_code", "code", "batch_id", "issued_on"]
    assert len(rows) == 5
    assert {r[2] for r in rows[1:]} == set(batch.codes.values_list("code", flat=True))
    assert all(r[0] == "ORG-TEST-0001" and r[1] == "123" and r[3] == str(batch.pk) for r in rows[1:])
    assert rows[1][4] == TODAY.isoformat()


# Public verification

def test_public_verify_of_a_code_finds_the_valid_certificate_and_batch(client, api, users, gx_organic, certifier):
    batch = organic_codes.organic_codes_issue(actor=users["national"], certificate=gx_organic, certifier=certifier,
                                              count=2, quantity=1)
    code = batch.codes.first().code

    result = selectors.verify(code, TODAY)
    assert (result.result, result.certificate, result.organic_batch) == ("valid", gx_organic, batch)
    assert api.get("/api/v1/public/verify/", {"code": code}).json()["number"] == "ORG-TEST-0001"
    page = client.get("/verify/", {"code": code}).content.decode()
    assert "有机码" in page and "ORG-TEST-0001" in page and "测试有机认证中心" in page


def test_a_17_digit_code_never_issued_is_not_found(api, gx_organic):
    assert selectors.verify("12325000000000001", TODAY).result == "not_found"
    assert api.get("/api/v1/public/verify/", {"code": "12325000000000001"}).json()["result"] == "not_found"


# HTTP: API and pages

def test_api_issues_and_lists_batches_then_downloads_csv(api, users, gx_organic, certifier):
    api.force_authenticate(users["national"])
    url = f"/api/v1/certificates/{gx_organic.number}/organic-codes/"

    created = api.post(url, {"certifier": "123", "count": 5, "quantity": "2.5"}, format="json")

    assert created.status_code == 201, created.content
    assert (created.json()["count"], created.json()["quantity"]) == (5, "2.5")
    assert [b["id"] for b in api.get(url).json()] == [created.json()["id"]]
    download = api.get(f"{url}{created.json()['id']}/csv/")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert len(download.content.decode().strip().splitlines()) == 6


def test_api_refusal_names_the_field_and_writes_nothing(api, users, gx_organic, certifier):
    api.force_authenticate(users["national"])

    response = api.post(f"/api/v1/certificates/{gx_organic.number}/organic-codes/",
                        {"certifier": "123", "count": 1, "quantity": "101"}, format="json")

    assert response.status_code == 400
    assert "quantity" in response.json()["fields"]
    assert not OrganicCodeBatch.objects.exists()


def test_api_unknown_certifier_is_a_field_error(api, users, gx_organic, certifier):
    api.force_authenticate(users["national"])
    response = api.post(f"/api/v1/certificates/{gx_organic.number}/organic-codes/",
                        {"certifier": "999", "count": 1, "quantity": "1"}, format="json")
    assert response.status_code == 400 and "certifier" in response.json()["fields"]


def test_api_wrong_role_is_403(api, users, gx_organic, certifier):
    api.force_authenticate(users["gx_province"])
    url = f"/api/v1/certificates/{gx_organic.number}/organic-codes/"

    assert api.get(url).status_code == 403
    assert api.post(url, {"certifier": "123", "count": 1, "quantity": "1"}, format="json").status_code == 403
    assert not OrganicCodeBatch.objects.exists()


def test_api_out_of_scope_is_404(api, users, sh_entity, certifier):
    sh_organic = organic(sh_entity, number="ORG-SH-0001")
    api.force_authenticate(users["gx_province"])
    assert api.get(f"/api/v1/certificates/{sh_organic.number}/organic-codes/").status_code == 404


def test_page_shows_section_and_issues_a_batch(client, users, gx_organic, certifier):
    client.force_login(users["national"])

    page = client.get(f"/certificates/{gx_organic.number}/")
    assert "有机码" in page.content.decode() and "发放一批有机码" in page.content.decode()
    response = client.post(f"/certificates/{gx_organic.number}/organic-codes/",
                           {"certifier": certifier.pk, "count": 3, "quantity": "1"})

    assert response.status_code == 302
    batch = OrganicCodeBatch.objects.get()
    csv_response = client.get(f"/certificates/{gx_organic.number}/organic-codes/{batch.pk}/csv/")
    assert csv_response.status_code == 200 and len(csv_response.content.decode().strip().splitlines()) == 4


def test_page_form_error_in_chinese_and_nothing_written(client, users, gx_organic, certifier):
    client.force_login(users["national"])

    response = client.post(f"/certificates/{gx_organic.number}/organic-codes/",
                           {"certifier": certifier.pk, "count": 1, "quantity": "500"})

    assert response.status_code == 400
    assert "超出核准产量" in response.content.decode()
    assert not OrganicCodeBatch.objects.exists()


def test_page_section_hidden_from_other_roles_and_issue_refused(client, users, gx_organic, certifier):
    client.force_login(users["gx_province"])

    assert "发放一批有机码" not in client.get(f"/certificates/{gx_organic.number}/").content.decode()
    response = client.post(f"/certificates/{gx_organic.number}/organic-codes/",
                           {"certifier": certifier.pk, "count": 1, "quantity": "1"})
    assert response.status_code == 403


def test_page_section_absent_for_non_organic_certificate(client, users, gx_entity, certifier):
    green_input = issue(gx_entity, approved_on=TODAY - datetime.timedelta(days=30))
    client.force_login(users["national"])
    assert 'id="organic-codes"' not in client.get(f"/certificates/{green_input.number}/").content.decode()
