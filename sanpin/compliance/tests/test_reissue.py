"""Re-issue after mixing or repacking: sources cited, quantities conserved, refusals name the source
and what is left, nothing written on a refusal; concurrent re-issues from one source (decision 0028)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.compliance import receiving, reissue
from sanpin.compliance.choices import CheckResult
from sanpin.compliance.models import ComplianceCertificate, SourceLink
from sanpin.core.errors import PermissionDenied, ValidationFailed

from .test_receiving import DAY, make_certificate

NEW = dict(product_name="混装蔬菜", category="vegetable", quantity="50", unit="公斤", origin="广西南宁",
           contact_phone="13900000000", basis="quality_control")


@pytest.fixture(autouse=True)
def _day(on_day, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    on_day(DAY)


@pytest.fixture
def market(regions):
    return EntityFactory(name="南宁五里亭蔬菜批发市场", kind=EntityKind.PURCHASER, region=regions["450103"])


@pytest.fixture
def buyer(market):
    return UserFactory(username="buyer", roles=[Role.PURCHASER], entity=market)


@pytest.fixture
def other_buyer(regions):
    entity = EntityFactory(name="南宁海吉星市场", kind=EntityKind.PURCHASER, region=regions["450103"])
    return UserFactory(username="buyer2", roles=[Role.PURCHASER], entity=entity)


@pytest.fixture
def sources(users, gx_entity, sh_entity, buyer):
    """Two producers' certificates (100 and 80 kg), both received in full by the buyer."""
    a = make_certificate(gx_entity, user=users["gx_applicant"], quantity="100")
    b = make_certificate(sh_entity, user=users["sh_applicant"], quantity="80", product_name="青菜")
    for c in (a, b):
        receiving.receipt_record(actor=buyer, code=c.code, place="五里亭市场")
    return a, b


def _counts():
    return ComplianceCertificate.objects.count(), SourceLink.objects.count()


def test_reissue_within_the_received_quantity_passes_and_cites_its_sources(buyer, market, sources):
    a, b = sources
    new = reissue.reissue(actor=buyer, sources=[{"code": a.code, "quantity": "30"}, {"code": b.code, "quantity": 20}],
                          **NEW)
    assert new.is_reissue and new.issuer == market and new.quantity == Decimal("50")
    assert ComplianceCertificate.objects.get(pk=new.pk).is_reissue
    links = {(link.source_id, link.quantity) for link in SourceLink.objects.filter(certificate_id=new.pk)}
    assert links == {(a.pk, Decimal("30")), (b.pk, Decimal("20"))}
    assert reissue.check_sources(market, reissue.parse_sources([{"code": a.code, "quantity": "70"}]), lock=False)
    assert receiving.received_left(market, a) == Decimal("70")


def test_reissue_beyond_what_is_left_is_refused_naming_the_source_and_the_remainder(buyer, sources):
    a, b = sources
    reissue.reissue(actor=buyer, sources=[{"code": a.code, "quantity": "60"}], **dict(NEW, quantity="60"))
    before = _counts()
    with pytest.raises(ValidationFailed) as exc:
        reissue.reissue(actor=buyer, sources=[{"code": a.code, "quantity": "50"}, {"code": b.code, "quantity": "10"}],
                        **NEW)
    [message] = exc.value.fields["sources"]
    assert a.code in message and "剩余可用数量 40公斤" in message
    assert _counts() == before  # nothing written, not even the certificate


def test_a_new_quantity_above_the_sum_taken_is_refused(buyer, sources):
    a, _b = sources
    with pytest.raises(ValidationFailed) as exc:
        reissue.reissue(actor=buyer, sources=[{"code": a.code, "quantity": "10"}], **dict(NEW, quantity="11"))
    assert "合计 10公斤" in exc.value.fields["quantity"][0]


def test_sources_not_received_or_of_someone_else_or_unknown_are_refused(users, gx_entity, buyer, other_buyer,
                                                                         sources):
    a, _b = sources
    elsewhere = make_certificate(gx_entity, user=users["gx_applicant"], quantity="40")
    receiving.receipt_record(actor=other_buyer, code=elsewhere.code, place="海吉星")  # received by someone else
    before = _counts()
    cases = [
        ([{"code": elsewhere.code, "quantity": "5"}], "本单位未收取"),
        ([{"code": "26030000000000000000", "quantity": "5"}], "未找到"),
        ([{"code": a.code, "quantity": "5"}, {"code": a.code, "quantity": "5"}], "重复"),
        ([{"code": a.code, "quantity": "0"}], "大于 0"),
        ([], "至少"),
    ]
    for given, expected in cases:
        with pytest.raises(ValidationFailed) as exc:
            reissue.reissue(actor=buyer, sources=given, **NEW)
        assert expected in " ".join(exc.value.fields["sources"]), given
    # The other purchaser cannot cite what the buyer received either.
    with pytest.raises(ValidationFailed):
        reissue.reissue(actor=other_buyer, sources=[{"code": a.code, "quantity": "5"}], **NEW)
    assert _counts() == before


def test_a_source_whose_entry_check_failed_cannot_be_cited(users, gx_entity, buyer):
    bad = make_certificate(gx_entity, user=users["gx_applicant"])
    receiving.receipt_record(actor=buyer, code=bad.code, place="市场", check_result=CheckResult.MISMATCH)
    with pytest.raises(ValidationFailed) as exc:
        reissue.reissue(actor=buyer, sources=[{"code": bad.code, "quantity": "5"}], **NEW)
    assert "查验不合格" in exc.value.fields["sources"][0]


def test_only_purchasers_reissue(users, sources):
    a, _b = sources
    with pytest.raises(PermissionDenied):
        reissue.reissue(actor=users["gx_applicant"], sources=[{"code": a.code, "quantity": "5"}], **NEW)


def test_a_retry_with_the_same_key_creates_nothing_new(buyer, sources):
    a, _b = sources
    first = reissue.reissue(actor=buyer, sources=[{"code": a.code, "quantity": "100"}], key="phone-1",
                            **dict(NEW, quantity="100"))
    before = _counts()
    again = reissue.reissue(actor=buyer, sources=[{"code": a.code, "quantity": "100"}], key="phone-1",
                            **dict(NEW, quantity="100"))
    assert again.pk == first.pk and _counts() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reissues_from_one_source_one_wins_and_totals_are_conserved(users, gx_entity, buyer, market):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this suite on PostgreSQL too")
    source = make_certificate(gx_entity, user=users["gx_applicant"], quantity="100")
    receiving.receipt_record(actor=buyer, code=source.code, place="五里亭市场")
    barrier, outcomes = threading.Barrier(2), []

    def act(n):
        try:
            barrier.wait(timeout=10)
            reissue.reissue(actor=buyer, sources=[{"code": source.code, "quantity": "70"}],
                            **dict(NEW, quantity="70", product_name=f"分装小白菜{n}"))
            outcomes.append("issued")
        except ValidationFailed as exc:
            refused = "剩余可用数量 30公斤" in " ".join(exc.fields.get("sources", []))
            outcomes.append("refused" if refused else repr(exc))
        except Exception as exc:  # anything else is a failure the assertion below shows
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["issued", "refused"]
    assert SourceLink.objects.filter(source_id=source.pk).count() == 1
    assert receiving.received_left(market, source) == Decimal("30")
    assert ComplianceCertificate.objects.filter(issuer=market, is_reissue=True).count() == 1


def test_reissue_through_the_issue_endpoint_with_sources(api, users, buyer, sources):
    a, b = sources
    api.force_authenticate(buyer)
    body = {**NEW, "sources": [{"code": a.code, "quantity": "30"}, {"code": b.code, "quantity": "20"}],
            "idempotency_key": "mini-1"}
    answer = api.post("/api/v1/compliance-certificates/", body, format="json")
    assert answer.status_code == 201, answer.json()
    again = api.post("/api/v1/compliance-certificates/", body, format="json")
    assert again.status_code == 200 and again.json()["code"] == answer.json()["code"]
    assert SourceLink.objects.count() == 2
    over = api.post("/api/v1/compliance-certificates/",
                    {**NEW, "sources": [{"code": a.code, "quantity": "71"}]}, format="json")
    assert over.status_code == 400 and "剩余可用数量 70公斤" in over.json()["fields"]["sources"][0]
    api.force_authenticate(users["gx_applicant"])
    assert api.post("/api/v1/compliance-certificates/", {**NEW, "sources": [{"code": a.code, "quantity": "1"}]},
                    format="json").status_code == 403
