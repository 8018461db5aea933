"""Standards: numbers checked per kind, dates checked against each other and the number's year,
status computed from the dates, withdrawal, and who may manage which standard."""

import datetime

import pytest

from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.knowledge import services
from sanpin.knowledge.models import Standard

from .conftest import make_standard

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(("kind", "typed", "stored"), [
    ("green_food", "NY/T 393-2020", "NY/T 393-2020"),
    ("green_food", " ny／t  393 — 2020 ", "NY/T 393-2020"),
    ("gb", "GB/T 19630-2019", "GB/T 19630-2019"),
    ("gb", "GB 2763-2019", "GB 2763-2019"),
    ("ny", "NY 525-2019", "NY 525-2019"),
    ("db", "DB45/T 1234-2019", "DB45/T 1234-2019"),
    ("t", "T/CAI 001-2019", "T/CAI 001-2019"),
])
def test_numbers_of_every_kind_are_accepted_and_normalised(users, today, kind, typed, stored):
    year = int(stored[-4:])
    standard = make_standard(users["national"], typed, kind=kind, published_on=D(year, 5, 1),
                             effective_on=D(year, 9, 1))
    assert standard.number == stored


@pytest.mark.parametrize(("kind", "number"), [
    ("green_food", "NY/T 393"),          # no year
    ("green_food", "GB/T 19630-2019"),   # a national number filed as green food
    ("gb", "NY/T 393-2020"),
    ("db", "DB99/T 1-2020"),             # no province 99
    ("db", "DBX/T 1-2020"),
    ("t", "T/ 1-2020"),
    ("ny", "NY/T 393-20"),
])
def test_numbers_that_do_not_fit_their_kind_are_refused(users, today, kind, number):
    with pytest.raises(ValidationFailed) as err:
        make_standard(users["national"], number, kind=kind, published_on=D(2020, 5, 1), effective_on=D(2020, 9, 1))
    assert "number" in err.value.fields
    assert Standard.objects.count() == 0


def test_the_same_edition_is_entered_once_but_another_edition_may_follow(users, today):
    make_standard(users["national"], "NY/T 393-2020")
    with pytest.raises(ValidationFailed) as err:
        make_standard(users["national"], "ny/t 393-2020")
    assert "已在库中" in err.value.fields["number"][0]
    make_standard(users["national"], "NY/T 393-2013", published_on=D(2013, 12, 13), effective_on=D(2014, 4, 1))
    assert Standard.objects.count() == 2


@pytest.mark.parametrize(("published_on", "effective_on", "field"), [
    (D(2020, 7, 27), D(2020, 7, 1), "effective_on"),     # takes effect before it is published
    (D(2019, 7, 27), D(2020, 11, 1), "published_on"),    # year differs from the number's
    (None, D(2020, 11, 1), "published_on"),
    (D(2020, 7, 27), None, "effective_on"),
])
def test_dates_are_checked(users, today, published_on, effective_on, field):
    with pytest.raises(ValidationFailed) as err:
        make_standard(users["national"], published_on=published_on, effective_on=effective_on)
    assert field in err.value.fields
    assert not AuditEvent.objects.filter(verb="knowledge.standard.create").exists()


def test_a_standard_cannot_be_published_in_the_future(users, today):
    with pytest.raises(ValidationFailed) as err:
        make_standard(users["national"], "NY/T 9999-2026", published_on=D(2026, 7, 1), effective_on=D(2026, 12, 1))
    assert "published_on" in err.value.fields


def test_status_follows_the_dates_and_the_withdrawal(users, today):
    upcoming = make_standard(users["national"], "NY/T 1056-2026", title="绿色食品 储藏运输准则",
                             published_on=D(2026, 5, 1), effective_on=D(2026, 11, 1))
    old = make_standard(users["national"], "NY/T 393-2013", published_on=D(2013, 12, 13), effective_on=D(2014, 4, 1))
    new = make_standard(users["national"])
    assert [s.status_on(today) for s in (upcoming, old, new)] == ["upcoming", "current", "current"]
    services.standard_withdraw(actor=users["national"], standard=old, withdrawn_on=D(2020, 11, 1), replaced_by=new,
                               reason="农业农村部公告")
    old.refresh_from_db()
    assert old.status_on(today) == "withdrawn" and old.replaced_by == new
    assert old.status_on(D(2020, 10, 31)) == "current"
    statuses = dict(Standard.objects.with_status(today).values_list("number", "status"))
    assert statuses == {"NY/T 1056-2026": "upcoming", "NY/T 393-2013": "withdrawn", "NY/T 393-2020": "current"}
    assert AuditEvent.objects.filter(verb="knowledge.standard.withdraw", target_id=str(old.pk)).count() == 1
    with pytest.raises(Conflict):
        services.standard_withdraw(actor=users["national"], standard=old, withdrawn_on=D(2021, 1, 1), reason="再次")


def test_withdrawal_needs_a_reason_and_a_replacement_that_is_not_itself(users, today):
    standard = make_standard(users["national"])
    with pytest.raises(ValidationFailed) as err:
        services.standard_withdraw(actor=users["national"], standard=standard, withdrawn_on=D(2019, 1, 1),
                                   replaced_by=standard, reason="")
    assert set(err.value.fields) == {"withdrawn_on", "replaced_by", "reason"}
    standard.refresh_from_db()
    assert standard.withdrawn_on is None


def test_provincial_staff_manage_only_their_own_provinces_local_standards(users, today):
    local = make_standard(users["gx_province"], "DB45/T 2001-2019", kind="db", title="沃柑生产技术规程",
                          published_on=D(2019, 6, 1), effective_on=D(2019, 8, 1))
    assert local.created_by == users["gx_province"]
    with pytest.raises(PermissionDenied):
        make_standard(users["gx_province"], "DB31/T 2001-2019", kind="db", published_on=D(2019, 6, 1),
                      effective_on=D(2019, 8, 1))
    with pytest.raises(PermissionDenied):
        make_standard(users["gx_province"])
    with pytest.raises(PermissionDenied):
        make_standard(users["nn_city"], "DB45/T 2002-2019", kind="db", published_on=D(2019, 6, 1),
                      effective_on=D(2019, 8, 1))
    with pytest.raises(PermissionDenied):
        services.standard_withdraw(actor=users["sh_province"], standard=local, withdrawn_on=D(2026, 1, 1),
                                   reason="x")
