"""“信用+金融” through the services: who may grant and withdraw a consent, what is validated, what a
second grant to the same bank does, and when a bank's read is allowed and logged."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.credit import consent as consents
from sanpin.credit.models import BankConsent, CreditReportRead

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def make_banks(regions) -> dict:
    """Two banks, each with one user."""
    gh = EntityFactory(name="南宁桂惠农村商业银行股份有限公司", kind=EntityKind.BANK, region=regions["450102"])
    other = EntityFactory(name="广西北部湾银行股份有限公司", kind=EntityKind.BANK, region=regions["450103"])
    return {
        "bank": gh, "other": other,
        "banker": UserFactory(username="bank", display_name="周雅琴", roles=[Role.BANK], entity=gh),
        "other_banker": UserFactory(username="bbw_bank", display_name="黄文静", roles=[Role.BANK], entity=other),
    }


@pytest.fixture
def banks(regions):
    return make_banks(regions)


def grant(users, banks, **overrides):
    values = {"actor": users["gx_applicant"], "entity": users["gx_applicant"].entity, "bank": banks["bank"],
              "purpose": "流动资金贷款审批", "valid_until": DAY + datetime.timedelta(days=180)}
    values.update(overrides)
    return consents.consent_grant(**values)


def test_the_applicant_grants_a_consent_and_it_is_audited(users, banks, on_day):
    on_day(DAY)
    consent = grant(users, banks)
    assert (consent.entity, consent.bank, consent.granted_by) == (users["gx_applicant"].entity, banks["bank"],
                                                                   users["gx_applicant"])
    assert consents.consent_state(consent, DAY) == consents.ACTIVE
    assert AuditEvent.objects.filter(verb="credit.consent.grant", target_id=str(consent.pk)).count() == 1


@pytest.mark.parametrize("who", ["sh_applicant", "gx_province", "national", "bank"])
def test_nobody_but_the_entitys_own_applicant_may_grant(users, banks, on_day, who):
    on_day(DAY)
    actor = banks["banker"] if who == "bank" else users[who]
    with pytest.raises(PermissionDenied):
        grant(users, banks, actor=actor)
    assert not BankConsent.objects.exists()


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"bank": None}, "bank", "请选择金融机构"),
    ({"purpose": "  "}, "purpose", "请填写查询用途"),
    ({"purpose": "贷" * 201}, "purpose", "用途不超过 200 个字"),
    ({"valid_until": None}, "valid_until", "请填写授权截止日期"),
    ({"valid_until": DAY - datetime.timedelta(days=1)}, "valid_until", "不能早于今天"),
    ({"valid_until": datetime.date(2027, 3, 3)}, "valid_until", "授权期限最长一年，截止日期不能晚于 2027-03-02"),
])
def test_grants_are_validated_in_chinese(users, banks, on_day, overrides, field, message):
    on_day(DAY)
    with pytest.raises(ValidationFailed) as exc:
        grant(users, banks, **overrides)
    assert message in " ".join(exc.value.fields[field])
    assert not BankConsent.objects.exists()


def test_only_a_bank_may_receive_a_consent(users, banks, on_day, sh_entity):
    on_day(DAY)
    with pytest.raises(ValidationFailed) as exc:
        grant(users, banks, bank=sh_entity)
    assert exc.value.fields["bank"] == ["只能授权给金融机构"]


def test_today_and_exactly_one_year_ahead_are_allowed(users, banks, on_day):
    on_day(DAY)
    assert grant(users, banks, valid_until=DAY).valid_until == DAY
    assert grant(users, banks, valid_until=datetime.date(2027, 3, 2)).valid_until == datetime.date(2027, 3, 2)


@settings(max_examples=30, deadline=None)
@given(day=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)))
def test_one_year_after_is_a_year_later_and_never_more(day):
    later = consents.one_year_after(day)
    assert later.year == day.year + 1 and later.month == day.month
    assert 365 <= (later - day).days <= 366


def test_a_second_grant_to_the_same_bank_replaces_the_first(users, banks, on_day):
    on_day(DAY)
    first = grant(users, banks, purpose="流动资金贷款审批")
    elsewhere = grant(users, banks, bank=banks["other"])
    second = grant(users, banks, purpose="固定资产贷款审批", valid_until=DAY + datetime.timedelta(days=300))
    first.refresh_from_db()
    elsewhere.refresh_from_db()
    assert consents.consent_state(first, DAY) == consents.WITHDRAWN
    assert first.withdrawn_by == users["gx_applicant"]
    assert consents.consent_state(elsewhere, DAY) == consents.ACTIVE
    assert consents.active_consent(bank_id=banks["bank"].pk, entity_id=first.entity_id, today=DAY) == second
    assert AuditEvent.objects.filter(verb="credit.consent.replace", target_id=str(first.pk)).count() == 1


def test_withdrawal_by_the_applicant_ends_reading(users, banks, on_day):
    on_day(DAY)
    consent = grant(users, banks)
    entity = consent.entity
    consents.report_read(actor=banks["banker"], entity_id=entity.pk, format="page")
    with pytest.raises(PermissionDenied):
        consents.consent_withdraw(actor=users["sh_applicant"], consent=consent)
    consents.consent_withdraw(actor=users["gx_applicant"], consent=consent)
    with pytest.raises(NotFound):
        consents.report_read(actor=banks["banker"], entity_id=entity.pk, format="page")
    with pytest.raises(Conflict):
        consents.consent_withdraw(actor=users["gx_applicant"], consent=consent)
    assert CreditReportRead.objects.count() == 1
    assert AuditEvent.objects.filter(verb="credit.consent.withdraw", target_id=str(consent.pk)).count() == 1


def test_reads_are_allowed_through_the_last_day_and_not_after(users, banks, on_day):
    on_day(DAY)
    consent = grant(users, banks, valid_until=DAY + datetime.timedelta(days=10))
    on_day(consent.valid_until)
    consents.report_read(actor=banks["banker"], entity_id=consent.entity_id, format="pdf", ip="10.0.0.8")
    on_day(consent.valid_until + datetime.timedelta(days=1))
    with pytest.raises(NotFound):
        consents.report_read(actor=banks["banker"], entity_id=consent.entity_id, format="pdf")
    assert consents.consent_state(consent, consent.valid_until + datetime.timedelta(days=1)) == consents.LAPSED
    read = CreditReportRead.objects.get()
    assert (read.consent, read.reader, read.format, read.ip) == (consent, banks["banker"], "pdf", "10.0.0.8")


def test_another_bank_and_other_roles_cannot_read(users, banks, on_day):
    on_day(DAY)
    consent = grant(users, banks)
    with pytest.raises(NotFound):
        consents.report_read(actor=banks["other_banker"], entity_id=consent.entity_id, format="page")
    with pytest.raises(NotFound):  # an entity that does not exist reads the same as one without consent
        consents.report_read(actor=banks["banker"], entity_id=999999, format="page")
    for actor in (users["gx_applicant"], users["national"]):
        with pytest.raises(PermissionDenied):
            consents.report_read(actor=actor, entity_id=consent.entity_id, format="page")
    assert not CreditReportRead.objects.exists()


def test_the_bank_lists_only_entities_with_an_active_consent(users, banks, on_day, sh_entity):
    on_day(DAY)
    gx = grant(users, banks, valid_until=DAY + datetime.timedelta(days=30))
    sh = grant(users, banks, actor=users["sh_applicant"], entity=sh_entity)
    consents.consent_withdraw(actor=users["sh_applicant"], consent=sh)
    listed = list(consents.readable_entities(banks["banker"], DAY))
    assert listed == [gx.entity] and listed[0].consent_until == gx.valid_until
    assert list(consents.readable_entities(banks["other_banker"], DAY)) == []
    assert list(consents.readable_entities(banks["banker"], DAY + datetime.timedelta(days=31))) == []
