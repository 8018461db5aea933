"""GI services: the all-or-nothing import, authorisations inside the geographic scope and
without overlap, expiry read at read time, revocation, quality records."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanpin.catalog.tests.factories import EntityFactory, valid_uscc
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.gi import services
from sanpin.gi.choices import EXPIRED, AuthorizationStatus, RegistrationStatus
from sanpin.gi.models import GIAuthorization, GIRegistration, GIStatusChange
from sanpin.gi.tests.factories import register, sheet_row, xlsx

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
YEAR = datetime.timedelta(days=365)


@pytest.fixture
def association(regions):
    return EntityFactory(name="隆林县黑山羊协会", kind="association", region=regions["451031"],
                         uscc=valid_uscc("451031"))


@pytest.fixture
def producer(regions):
    return EntityFactory(name="隆林德峨养殖合作社", kind="cooperative", region=regions["451031"],
                         uscc=valid_uscc("451031"))


@pytest.fixture
def gi(users, association):
    return register(users["gx_province"], association)


def _import(actor, rows, dry_run=False):
    return services.gi_registration_import(actor=actor, file=xlsx(rows), dry_run=dry_run, file_name="登记.xlsx")


def test_one_bad_row_among_several_writes_nothing_and_names_the_row(users, association, gx_entity):
    # Given three good rows and, on Excel row 3, an unknown holder USCC
    rows = [
        sheet_row("AGI00001", association.uscc),
        sheet_row("AGI00002", valid_uscc("451031", 999)),
        sheet_row("AGI00003", gx_entity.uscc, counties="450102,450103"),
        sheet_row("AGI00004", association.uscc, registered_on="2015年13月1日"),
    ]
    # When the file is imported
    result = _import(users["gx_province"], rows)

    # Then nothing is written and rows 3 and 5 are named with their reasons
    assert not result.ok and result.written == 0
    assert GIRegistration.objects.count() == 0 and GIStatusChange.objects.count() == 0
    assert [r.row_no for r in result.bad_rows] == [3, 5]
    lines = result.error_lines()
    assert lines[0].startswith("第 3 行") and "统一社会信用代码" in lines[0]
    assert lines[1].startswith("第 5 行") and "不是有效日期" in lines[1]


def test_the_fixed_file_imports_every_row_with_history_and_audit(users, association, gx_entity):
    rows = [
        sheet_row("AGI00001", association.uscc),
        sheet_row("agi00002", gx_entity.uscc, counties="450102，450103", registered_on="2012/3/5"),
        sheet_row("AGI00003", gx_entity.uscc, counties="450102", specification=""),
    ]
    assert _import(users["gx_province"], rows, dry_run=True).ok
    assert GIRegistration.objects.count() == 0  # a dry run writes nothing

    result = _import(users["gx_province"], rows)

    assert result.ok and result.written == 3
    second = GIRegistration.objects.get(number="AGI00002")
    assert second.registered_on == datetime.date(2012, 3, 5)
    assert sorted(second.counties.values_list("code", flat=True)) == ["450102", "450103"]
    assert "兴宁区" in second.scope_text and second.status == RegistrationStatus.REGISTERED
    assert GIStatusChange.objects.filter(to_status=RegistrationStatus.REGISTERED).count() == 3
    assert AuditEvent.objects.filter(verb="gi.registration.import").count() == 3


def test_each_kind_of_bad_row_is_reported(users, association):
    register(users["gx_province"], association, number="AGI00009")
    rows = [
        sheet_row("AGI00001", association.uscc, counties="451031,999999"),  # unknown county
        sheet_row("AGI00001", association.uscc),                           # duplicate within the file
        sheet_row("AGI00009", association.uscc),                           # already registered
        sheet_row("AGI00002", association.uscc, product_name=""),          # empty required cell
        sheet_row("GI-2", association.uscc),                               # malformed number
        sheet_row("AGI00003", association.uscc, counties="450100"),        # a city, not a county
    ]
    result = _import(users["gx_province"], rows)

    reasons = {r.row_no: "；".join(r.errors) for r in result.bad_rows}
    assert "999999 不存在" in reasons[2]
    assert "与第 2 行重复" in reasons[3]
    assert "已登记" in reasons[4]
    assert "“产品名称”不能为空" in reasons[5]
    assert "格式不正确" in reasons[6]
    assert "450100 不存在" in reasons[7]
    assert GIRegistration.objects.count() == 1


def test_a_garbage_file_gives_one_clear_message(users):
    with pytest.raises(ValidationFailed) as exc:
        services.gi_registration_import(actor=users["gx_province"], file=b"not a workbook", dry_run=True)
    assert exc.value.fields == {"file": ["文件不是有效的 Excel 文件"]}


def test_a_sheet_without_the_columns_is_refused(users):
    with pytest.raises(ValidationFailed) as exc:
        services.gi_registration_import(actor=users["gx_province"], file=xlsx([["x"]], headers=["编号"]),
                                        dry_run=True)
    assert "登记证书编号" in exc.value.fields["file"][0]


def test_staff_cannot_import_holders_outside_their_region(users, sh_entity):
    result = _import(users["gx_province"], [sheet_row("AGI00001", sh_entity.uscc, counties="310101")])
    assert not result.ok and "不在您的管辖范围内" in result.bad_rows[0].errors[0]


def test_holders_cannot_import(users, association):
    with pytest.raises(PermissionDenied):
        _import(users["gx_applicant"], [sheet_row("AGI00001", association.uscc)])


def test_authorisation_inside_the_scope_is_recorded(users, gi, producer):
    authorization = services.gi_authorize(
        actor=users["gx_province"], registration=gi, user_entity=producer, product="黑山羊", quantity="200",
        unit="只", valid_from=TODAY, valid_until=TODAY + YEAR,
    )
    assert authorization.effective_status(TODAY) == AuthorizationStatus.VALID
    assert AuditEvent.objects.filter(verb="gi.authorize").count() == 1


def test_the_holders_own_user_may_authorise(users, regions, producer):
    holder_user_entity = users["gx_applicant"].entity
    gi = register(users["gx_province"], holder_user_entity, counties="451031")
    services.gi_authorize(actor=users["gx_applicant"], registration=gi, user_entity=producer, product="黑山羊",
                          quantity=10, unit="只", valid_from=TODAY, valid_until=TODAY + YEAR)
    assert GIAuthorization.objects.count() == 1


def test_another_entity_may_not_authorise(users, gi, producer):
    with pytest.raises(PermissionDenied):
        services.gi_authorize(actor=users["gx_applicant"], registration=gi, user_entity=producer, product="黑山羊",
                              quantity=10, unit="只", valid_from=TODAY, valid_until=TODAY + YEAR)


def test_authorisation_outside_the_geographic_scope_is_refused(users, gi, gx_entity):
    # gx_entity sits in 兴宁区 (450102); the registration covers only 隆林 (451031)
    with pytest.raises(ValidationFailed) as exc:
        services.gi_authorize(actor=users["gx_province"], registration=gi, user_entity=gx_entity, product="黑山羊",
                              quantity=10, unit="只", valid_from=TODAY, valid_until=TODAY + YEAR)
    assert "不在该地理标志的地域范围内" in exc.value.fields["user_entity"][0]
    assert GIAuthorization.objects.count() == 0


def test_validity_is_required(users, gi, producer):
    with pytest.raises(ValidationFailed) as exc:
        services.gi_authorize(actor=users["gx_province"], registration=gi, user_entity=producer, product="黑山羊",
                              quantity=10, unit="只", valid_from=TODAY, valid_until=None)
    assert set(exc.value.fields) == {"valid_until"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(-400, 400), length=st.integers(0, 400))
def test_an_overlapping_authorisation_is_refused_and_a_disjoint_one_accepted(users, gi, producer, start, length):
    # Given a valid authorisation for days 0..365
    existing_from, existing_until = TODAY, TODAY + YEAR
    if not GIAuthorization.objects.filter(valid_from=existing_from).exists():
        services.gi_authorize(actor=users["gx_province"], registration=gi, user_entity=producer, product="黑山羊",
                              quantity=10, unit="只", valid_from=existing_from, valid_until=existing_until)
    new_from = TODAY + datetime.timedelta(days=start)
    new_until = new_from + datetime.timedelta(days=length)
    overlaps = new_from <= existing_until and new_until >= existing_from
    try:
        created = services.gi_authorize(actor=users["gx_province"], registration=gi, user_entity=producer,
                                        product="黑山羊", quantity=10, unit="只", valid_from=new_from,
                                        valid_until=new_until)
    except ValidationFailed as exc:
        assert overlaps, exc.fields
        assert "有效期重叠" in exc.fields["valid_from"][0]
    else:
        assert not overlaps
        created.delete()


def test_an_ended_authorisation_does_not_block_a_new_one(users, gi, producer):
    first = services.gi_authorize(actor=users["gx_province"], registration=gi, user_entity=producer, product="黑山羊",
                                  quantity=10, unit="只", valid_from=TODAY, valid_until=TODAY + YEAR)
    services.gi_authorization_end(actor=users["gx_province"], authorization=first, reason="停止生产")
    services.gi_authorize(actor=users["gx_province"], registration=gi, user_entity=producer, product="黑山羊",
                          quantity=10, unit="只", valid_from=TODAY, valid_until=TODAY + YEAR)
    first.refresh_from_db()
    assert first.status == AuthorizationStatus.ENDED and first.ended_on == TODAY


def test_an_authorisation_past_its_term_reads_as_expired(users, gi, producer, on_day):
    authorization = services.gi_authorize(
        actor=users["gx_province"], registration=gi, user_entity=producer, product="黑山羊", quantity=10, unit="只",
        valid_from=TODAY - 2 * YEAR, valid_until=TODAY - YEAR,
    )
    assert authorization.status == AuthorizationStatus.VALID  # stored status untouched
    assert authorization.effective_status(TODAY) == EXPIRED
    assert authorization.effective_status(TODAY - YEAR) == AuthorizationStatus.VALID
    with pytest.raises(Conflict):
        services.gi_authorization_end(actor=users["gx_province"], authorization=authorization, reason="x")


def test_revocation_is_national_ends_valid_authorisations_and_keeps_history(users, gi, producer):
    authorization = services.gi_authorize(
        actor=users["gx_province"], registration=gi, user_entity=producer, product="黑山羊", quantity=10, unit="只",
        valid_from=TODAY, valid_until=TODAY + YEAR,
    )
    with pytest.raises(PermissionDenied):
        services.gi_registration_revoke(actor=users["gx_province"], registration=gi, reason="x")

    services.gi_registration_revoke(actor=users["national"], registration=gi, reason="农业农村部公告第X号")

    gi.refresh_from_db()
    authorization.refresh_from_db()
    assert gi.status == RegistrationStatus.REVOKED
    assert authorization.status == AuthorizationStatus.ENDED
    assert list(gi.status_changes.values_list("to_status", flat=True)) == ["registered", "revoked"]
    with pytest.raises(Conflict):
        services.gi_authorize(actor=users["national"], registration=gi, user_entity=producer, product="黑山羊",
                              quantity=10, unit="只", valid_from=TODAY + 2 * YEAR, valid_until=TODAY + 3 * YEAR)
    with pytest.raises(Conflict):
        services.gi_registration_revoke(actor=users["national"], registration=gi, reason="again")


def test_quality_records_are_checked_and_recorded_by_staff_in_scope(users, gi):
    record = services.gi_quality_record_add(
        actor=users["bs_city"], registration=gi, year=TODAY.year, indicator="粗蛋白", value="21.5", unit="%",
        method="GB 5009.5", lab="广西农产品质检站", sampled_on=TODAY,
    )
    assert record.value_text == "21.5"
    with pytest.raises(ValidationFailed) as exc:
        services.gi_quality_record_add(actor=users["bs_city"], registration=gi, year=2010, indicator="",
                                       value="abc", sampled_on=TODAY)
    assert set(exc.value.fields) == {"year", "indicator", "value", "sampled_on"}
    with pytest.raises(PermissionDenied):  # Nanning staff: Baise's association is not theirs
        services.gi_quality_record_add(actor=users["nn_city"], registration=gi, year=TODAY.year, indicator="x",
                                       value=1, sampled_on=TODAY)
    with pytest.raises(PermissionDenied):  # the holder does not record official quality data
        services.gi_quality_record_add(actor=users["gx_applicant"], registration=gi, year=TODAY.year,
                                       indicator="x", value=1, sampled_on=TODAY)
