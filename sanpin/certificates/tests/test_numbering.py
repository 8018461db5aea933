"""Green-input product numbers: LSSZ-CC-YYMMPPNNNN [004 §17]."""

import datetime

import pytest
from django.db import transaction

from sanpin.catalog.models import Country
from sanpin.certificates import numbering
from sanpin.certificates.tests.factories import issue
from sanpin.core.errors import Conflict
from sanpin.core.numbering import ensure_at_least

pytestmark = pytest.mark.django_db


def test_given_a_guangxi_fertiliser_approved_in_march_2025_when_issued_then_the_number_reads_its_parts(gx_entity):
    certificate = issue(gx_entity, approved_on=datetime.date(2025, 3, 8), category="01")

    assert certificate.number == "LSSZ-01-2503200001"
    assert numbering.parse(certificate.number) == {"category": "01", "yy": "25", "mm": "03", "pp": "20",
                                                   "serial": "0001"}


def test_the_serial_runs_per_province_per_year_across_categories(gx_entity, sh_entity):
    first = issue(gx_entity, approved_on=datetime.date(2025, 1, 5), category="01")
    second = issue(gx_entity, approved_on=datetime.date(2025, 11, 20), category="02", product_name="生物农药")
    shanghai = issue(sh_entity, approved_on=datetime.date(2025, 6, 1))
    next_year = issue(gx_entity, approved_on=datetime.date(2026, 1, 2), product_name="有机肥")

    assert [first.number, second.number] == ["LSSZ-01-2501200001", "LSSZ-02-2511200002"]
    assert shanghai.number == "LSSZ-01-2506090001"
    assert next_year.number == "LSSZ-01-2601200001"


def test_a_foreign_product_takes_its_countrys_code_from_51_in_order_of_first_certification(gx_entity):
    germany = Country.objects.create(iso_code="DE", name="德国")
    japan = Country.objects.create(iso_code="JP", name="日本")

    german = issue(gx_entity, province=None, country=germany, approved_on=datetime.date(2025, 4, 1),
                   product_name="进口有机肥")
    japanese = issue(gx_entity, province=None, country=japan, approved_on=datetime.date(2025, 5, 1),
                     product_name="进口微生物菌剂")
    german_again = issue(gx_entity, province=None, country=germany, approved_on=datetime.date(2025, 6, 1),
                         product_name="进口叶面肥")

    assert german.number == "LSSZ-01-2504510001"
    assert japanese.number == "LSSZ-01-2505520001"
    assert german_again.number == "LSSZ-01-2506510002"


def test_when_the_years_serial_would_pass_9999_then_issuing_is_refused_and_nothing_is_written(gx_entity):
    with transaction.atomic():
        ensure_at_least(numbering.serial_key("20", 2025), 9999)

    with pytest.raises(Conflict) as refused:
        issue(gx_entity, approved_on=datetime.date(2025, 7, 1))

    assert refused.value.code == "number_exhausted"
    assert "9999" in refused.value.message
    assert not gx_entity.certificates.exists()


def test_parse_rejects_what_is_not_a_green_input_number():
    assert numbering.parse("LSSZ-01-250320001") is None
    assert numbering.parse("LB-15-19012700330A") is None


def test_an_imported_number_moves_the_sequence_past_it(gx_entity):
    imported = issue(gx_entity, approved_on=datetime.date(2025, 2, 1), number="LSSZ-01-2502200042")

    allocated = issue(gx_entity, approved_on=datetime.date(2025, 3, 1), product_name="新肥料")

    assert imported.number == "LSSZ-01-2502200042"
    assert allocated.number == "LSSZ-01-2503200043"


def test_an_imported_number_must_match_its_category_and_month(gx_entity):
    from sanpin.core.errors import ValidationFailed

    for wrong in ("LSSZ-1-25022000", "LSSZ-02-2502200042", "LSSZ-01-2503200042"):
        with pytest.raises(ValidationFailed) as refused:
            issue(gx_entity, approved_on=datetime.date(2025, 2, 1), number=wrong)
        assert "number" in refused.value.fields
