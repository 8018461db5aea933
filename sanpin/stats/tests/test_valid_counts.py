"""Products valid on a day, per child region, read from each certificate's status history:
checked by hand for the cases people ask about, and against a plain Python reading of the same
history for many random certificates and days."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanpin.accounts.models import system_user
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.models import Certificate, StatusChange
from sanpin.stats.valid_counts import valid_by_region, valid_total

pytestmark = pytest.mark.django_db

D = datetime.date
_numbers = itertools.count(1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


TERM_FROM, TERM_UNTIL = D(2024, 1, 1), D(2026, 12, 31)


def term(holder, *, scheme="green_food", valid_from=TERM_FROM, valid_until=TERM_UNTIL, history=(), status=None):
    """A certificate term with its status history: `history` lists (moment, to_status)."""
    changes = list(history)
    cert = Certificate.objects.create(
        scheme=scheme, number=f"T{next(_numbers):08d}", holder=holder, product_name="大米", category="01",
        approved_output=Decimal("100"), output_unit="吨", approved_on=valid_from, valid_from=valid_from,
        valid_until=valid_until, status=status or (changes[-1][1] if changes else "valid"))
    previous = ""
    for moment, to_status in changes:
        StatusChange.objects.create(certificate=cert, from_status=previous, to_status=to_status, actor=system_user(),
                                    at=moment)
        previous = to_status
    return cert


@pytest.fixture
def holders(regions):
    return {code: EntityFactory(region=regions[code]) for code in ("450102", "450103", "451031", "310101")}


def test_revoked_before_the_day_is_not_counted_revoked_after_is(regions, holders):
    nanning = holders["450102"]
    term(nanning, history=[(at(D(2024, 1, 1)), "valid"), (at(D(2024, 11, 20)), "revoked")])
    term(nanning, history=[(at(D(2024, 1, 1)), "valid"), (at(D(2025, 2, 1)), "revoked")])
    counts = valid_by_region(on=D(2024, 12, 31), parent=regions["450000"], measure="green_organic")
    assert counts == {"450100": 1, "451000": 0}
    # Before the revocation the first one counted too.
    assert valid_by_region(on=D(2024, 10, 1), parent=regions["450000"], measure="green_organic")["450100"] == 2


def test_a_change_made_on_the_day_itself_counts_for_that_day(regions, holders):
    term(holders["450102"], history=[(at(D(2024, 1, 1)), "valid"), (at(D(2024, 12, 31), 23), "revoked")])
    assert valid_total(on=D(2024, 12, 31), region=regions["450000"], measure="green_organic") == 0
    assert valid_total(on=D(2024, 12, 30), region=regions["450000"], measure="green_organic") == 1


def test_suspended_on_the_day_is_not_counted_even_if_valid_again_later(regions, holders):
    term(holders["451031"], history=[(at(D(2024, 1, 1)), "valid"), (at(D(2024, 12, 1)), "suspended"),
                                     (at(D(2025, 1, 15)), "valid")])
    term(holders["451031"], history=[(at(D(2024, 1, 1)), "valid"), (at(D(2024, 10, 1)), "in_rectification")])
    assert valid_by_region(on=D(2024, 12, 31), parent=regions["450000"], measure="green_organic")["451000"] == 1
    assert valid_by_region(on=D(2025, 2, 1), parent=regions["450000"], measure="green_organic")["451000"] == 2


def test_a_record_entered_later_counts_from_its_term(regions, holders):
    """A term imported in 2026 for 2023–2025 has its first history row in 2026: it was valid then."""
    term(holders["450103"], valid_from=D(2023, 1, 1), valid_until=D(2025, 12, 31),
         history=[(at(D(2026, 3, 1)), "valid")])
    assert valid_total(on=D(2024, 12, 31), region=regions["450100"], measure="green_food") == 1


def test_term_bounds_measure_and_region(regions, holders):
    term(holders["450102"], valid_from=D(2021, 7, 1), valid_until=D(2024, 6, 30))  # expired mid-year
    term(holders["450102"], valid_from=D(2025, 1, 10), valid_until=D(2028, 1, 9))  # not yet issued
    term(holders["450102"], scheme="green_inputs")  # another measure
    term(holders["450102"], scheme="organic", valid_from=D(2024, 3, 1), valid_until=D(2025, 2, 28))
    term(holders["450103"], valid_from=D(2024, 12, 31), valid_until=D(2027, 12, 30))  # first day counts
    term(holders["310101"])  # Shanghai
    assert valid_by_region(on=D(2024, 12, 31), parent=regions["450000"], measure="green_organic") == {
        "450100": 2, "451000": 0}
    assert valid_by_region(on=D(2024, 12, 31), parent=regions["450000"], measure="organic") == {
        "450100": 1, "451000": 0}
    assert valid_by_region(on=D(2024, 12, 31), parent=regions["450100"], measure="green_organic") == {
        "450102": 1, "450103": 1}
    national = valid_by_region(on=D(2024, 12, 31), measure="green_organic")
    assert (national["450000"], national["310000"]) == (2, 1)


def test_counting_is_one_query_whatever_the_number_of_regions(regions, holders):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for code in ("450102", "450103", "451031"):
        term(holders[code], history=[(at(D(2024, 1, 1)), "valid")])
    with CaptureQueriesContext(connection) as queries:
        valid_by_region(on=D(2024, 12, 31), parent=regions["450000"], measure="green_organic")
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3  # the child regions, whether the day's counts are kept, then one aggregate


# --- against a plain reading of the history ----------------------------------------------------------

START = D(2024, 1, 1)
STATUSES = ("revoked", "valid", "suspended", "in_rectification", "stopped")
COUNTIES = ("450102", "451031", "450103", "310101")


def oracle_status(history, day):
    """The status on `day`: the last change made by the end of the day; before the first change,
    the status it started from, or valid when it is the issue."""
    end = at(day + datetime.timedelta(days=1), 0)
    before = [to for moment, to in history if moment < end]
    if before:
        return before[-1]
    return "valid"  # generated histories always start from issue ("")


certificate = st.fixed_dictionaries({
    "county": st.sampled_from(COUNTIES),
    "scheme": st.sampled_from(("green_food", "organic", "green_food", "green_inputs")),
    "start": st.integers(0, 700),
    "length": st.integers(0, 800),
    # (days after the term starts, hour, new status)
    "changes": st.lists(st.tuples(st.integers(0, 400), st.integers(0, 23), st.sampled_from(STATUSES)), max_size=4),
    # Saved last at its last change (as the services do), or touched again since (e.g. renewed).
    "saved_at_last_change": st.booleans(),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(certs=st.lists(certificate, max_size=12), day=st.integers(0, 900),
       measure=st.sampled_from(("green_organic", "green_food", "organic")))
def test_valid_counts_match_a_plain_reading_of_the_history(regions, certs, day, measure):
    on = START + datetime.timedelta(days=day)
    schemes = {"green_organic": ("green_food", "organic"), "green_food": ("green_food",),
               "organic": ("organic",)}[measure]
    expected = {"450100": 0, "451000": 0}
    with transaction.atomic():
        holders = {code: EntityFactory(region=regions[code]) for code in COUNTIES}
        for spec in certs:
            valid_from = START + datetime.timedelta(days=spec["start"])
            valid_until = valid_from + datetime.timedelta(days=spec["length"])
            history = sorted((at(valid_from + datetime.timedelta(days=d), h), s) for d, h, s in spec["changes"])
            history = [(moment, status) for i, (moment, status) in enumerate(history)
                       if i == 0 or moment != history[i - 1][0]]
            cert = term(holders[spec["county"]], scheme=spec["scheme"], valid_from=valid_from,
                        valid_until=valid_until, history=history)
            if spec["saved_at_last_change"] and history:
                Certificate.objects.filter(pk=cert.pk).update(updated_at=history[-1][0])
            counted = (spec["scheme"] in schemes and valid_from <= on <= valid_until
                       and oracle_status(history, on) in ("valid", "in_rectification"))
            if counted and spec["county"].startswith("45"):
                expected[spec["county"][:4] + "00"] += 1
        assert valid_by_region(on=on, parent=regions["450000"], measure=measure) == expected
        transaction.set_rollback(True)


def test_a_row_not_saved_since_the_day_is_read_from_its_stored_status(regions, holders):
    """The short cut for rows untouched since the day gives what the history gives."""
    revoked = term(holders["450102"], history=[(at(D(2024, 1, 1)), "valid"), (at(D(2024, 3, 1)), "revoked")])
    valid = term(holders["450102"], history=[(at(D(2024, 1, 1)), "valid")])
    for cert, moment in ((revoked, at(D(2024, 3, 1))), (valid, at(D(2024, 1, 1)))):
        Certificate.objects.filter(pk=cert.pk).update(updated_at=moment)
    assert valid_by_region(on=D(2024, 12, 31), parent=regions["450000"], measure="green_organic")["450100"] == 1
