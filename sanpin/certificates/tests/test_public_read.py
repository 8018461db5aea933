"""The verification body read with plain SQL (public_read) is the body the ORM path answers, for
every kind of number: one term, a renewal with a term not yet started, lapsed, suspended, revoked,
unknown; on every day around the terms' bounds."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from sanpin.accounts.models import system_user
from sanpin.certificates import public_read, selectors, signing
from sanpin.certificates.api.serializers import verification_body
from sanpin.certificates.services import certificate_set_status, green_inputs_validity
from sanpin.certificates.tests.factories import issue

pytestmark = [pytest.mark.django_db, pytest.mark.postgres,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's")]

APPROVED = datetime.date(2025, 3, 10)


def _orm(number, day, signature=signing.MISSING):
    return verification_body(selectors.verify_number(number, day, signature, cached=False))


def _same(number, day, signature=signing.MISSING):
    ours = public_read.verification_body(number, day, signature)
    expected = _orm(number, day, signature)
    # Byte for byte, as the API renders them.
    assert json.dumps(ours, cls=DjangoJSONEncoder, ensure_ascii=False) == json.dumps(
        expected, cls=DjangoJSONEncoder, ensure_ascii=False)
    return ours


def _days(*terms):
    days = set()
    for term in terms:
        for edge in (term.valid_from, term.valid_until):
            days |= {edge - datetime.timedelta(days=1), edge, edge + datetime.timedelta(days=1)}
    return sorted(days)


@pytest.mark.parametrize("status", [None, "suspended", "in_rectification", "stopped", "revoked"])
def test_one_term_in_any_status_on_every_day_around_its_bounds(gx_entity, status):
    term = issue(gx_entity, approved_on=APPROVED, approved_output=Decimal("1250.500"))
    if status:
        certificate_set_status(actor=system_user(), certificate=term, status=status, reason="抽检不合格")
    for day in _days(term):
        body = _same(term.number, day)
        assert body["holder"] == gx_entity.name
    assert _same(term.number, APPROVED)["approved_output"] == "1250.5"


def test_a_renewal_answers_the_term_in_force_and_the_history_of_both(gx_entity):
    old = issue(gx_entity, approved_on=APPROVED, product_name="旧期产品")
    valid_from = old.valid_until + datetime.timedelta(days=1)
    new = issue(gx_entity, approved_on=datetime.date(2027, 12, 20), valid_from=valid_from,
                valid_until=green_inputs_validity(valid_from), predecessor=old, product_name="新期产品")
    certificate_set_status(actor=system_user(), certificate=new, status="suspended", reason="整改")
    products = {day: _same(new.number, day)["product"] for day in _days(old, new)}
    assert products[old.valid_from - datetime.timedelta(days=1)] == "旧期产品"  # none started: the earliest
    assert products[old.valid_until] == "旧期产品"
    assert products[new.valid_from] == "新期产品"
    assert [c["to_status"] for c in _same(new.number, new.valid_from)["status_history"]].count("suspended") >= 1


def test_unknown_and_empty_numbers_and_a_signature_verdict(gx_entity):
    term = issue(gx_entity, approved_on=APPROVED)
    assert _same("LB-00-0000000000", APPROVED)["result"] == "not_found"
    assert _same("", APPROVED)["result"] == "not_found"
    assert _same(term.number, APPROVED, signing.VALID)["signature"] == signing.VALID
