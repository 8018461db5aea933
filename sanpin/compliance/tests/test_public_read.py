"""The scan answer's parts read with plain SQL (public_read) are those of the ORM path: the
certificate, the chain over random graphs (merges, sources that cite sources without being
re-issues, walks stopped by depth or size) and every kind of mark."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanpin.accounts.models import system_user
from sanpin.certificates.services import certificate_issue, certificate_set_status
from sanpin.compliance import public_read, selectors
from sanpin.compliance.api.serializers import MarkSerializer
from sanpin.compliance.models import ComplianceCertificate, SourceLink
from sanpin.compliance.tests.test_public import issue_one

pytestmark = [pytest.mark.django_db, pytest.mark.postgres,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's")]


def _graph(actor, size, reissued, links):
    nodes = [issue_one(actor, quantity=f"{100 + i}.25", product_name=f"产品{i}") for i in range(size)]
    ComplianceCertificate.objects.filter(pk__in=[nodes[i].pk for i in range(size) if reissued[i]]).update(
        is_reissue=True)
    for certificate, source in links:
        if certificate < source < size:
            SourceLink.objects.create(
                certificate_id=nodes[certificate].pk, certificate_issued_at=nodes[certificate].issued_at,
                source_id=nodes[source].pk, source_issued_at=nodes[source].issued_at,
                receiver=actor.entity, quantity=Decimal("1"))
    return nodes[0].code


graphs = st.integers(min_value=1, max_value=9).flatmap(lambda size: st.tuples(
    st.just(size), st.lists(st.booleans(), min_size=size, max_size=size),
    st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=size * 2),
    st.integers(min_value=1, max_value=4), st.integers(min_value=2, max_value=8)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=graphs)
def test_the_static_part_of_any_graph_is_the_orm_answer(users, monkeypatch, graph):
    size, reissued, links, depth, nodes = graph
    code = _graph(users["gx_applicant"], size, reissued, links)
    with monkeypatch.context() as patch:  # small bounds, so that random graphs reach them
        patch.setattr(selectors, "MAX_DEPTH", depth)
        patch.setattr(selectors, "MAX_NODES", nodes)
        patch.setitem(selectors.chain.__kwdefaults__, "max_depth", depth)
        patch.setitem(selectors.chain.__kwdefaults__, "max_nodes", nodes)
        assert public_read.static(code) == public_read._static_orm(code)


def test_unknown_and_malformed_codes(users):
    code = issue_one(users["gx_applicant"]).code
    unknown = code[:-2] + ("00" if code[-2:] != "00" else "11")
    assert public_read.static(unknown) is None
    assert public_read.static("not-a-code") is None


def test_every_kind_of_mark_is_the_answer_of_mark_status(users, regions, gx_entity):
    from sanpin.gi.tests.factories import register

    def licence(scheme, approved_on, valid_until=None):
        return certificate_issue(
            actor=system_user(), scheme=scheme, holder=gx_entity, product_name=f"{scheme}产品", category="01",
            trademark="绿源", approved_output=Decimal("5000"), output_unit="吨", approved_on=approved_on,
            valid_from=approved_on, valid_until=valid_until or approved_on.replace(year=approved_on.year + 3),
            province=regions["450000"])

    today = datetime.date(2026, 6, 1)
    valid = licence("green_food", datetime.date(2025, 1, 6))
    lapsed = licence("green_food", datetime.date(2020, 1, 6), datetime.date(2023, 1, 5))
    future = licence("green_inputs", datetime.date(2026, 9, 1))
    numbers = [valid.number, lapsed.number, future.number, "GF-UNKNOWN-1", "AGI07777", "agi07777"]
    for status in ("suspended", "revoked"):
        numbers.append(certificate_set_status(actor=system_user(), certificate=licence(
            "green_food", datetime.date(2025, 2, 1)), status=status, reason="抽检不合格").number)
    register(users["national"], gx_entity, number="AGI07777")
    expected = {n: MarkSerializer(selectors.mark_status(n, today)).data for n in numbers}
    assert public_read.marks(numbers, today) == expected
