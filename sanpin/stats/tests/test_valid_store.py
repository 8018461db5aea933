"""Kept valid-product counts (sanpin.stats.valid_store) give exactly the live query's numbers:
on generated data with many status changes, right after a refresh, after changes made since
(counted live through the stale marks) and after the next refresh; and a certificate issued or
suspended through the services shows in the targets API at once."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanpin.accounts.models import system_user
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.models import Certificate, StatusChange
from sanpin.certificates.services import certificate_set_status
from sanpin.certificates.tests.factories import issue
from sanpin.stats import drilldown, valid_store
from sanpin.stats.models import ValidCount, ValidCountDay, ValidCountStale
from sanpin.stats.target_services import target_set
from sanpin.stats.valid_counts import counts_for, live_counts_for

from .test_valid_counts import COUNTIES, START, STATUSES, at, term

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 2, 10)
MEASURES = ("green_organic", "green_food", "organic", "featured")


def assert_same_as_live(regions, day):
    for parent in (None, regions["450000"], regions["450100"], regions["310000"]):
        children = drilldown.child_regions(parent)
        for measure in MEASURES:
            kept = counts_for(children, on=day, parent=parent, measure=measure)
            live = live_counts_for(children, on=day, parent=parent, measure=measure)
            assert kept == live, (day, parent, measure)


def keep_years(users, regions, *years):
    for year in years:
        target_set(actor=users["national"], region=regions["450000"], year=year, measure="green_food", value=10)


change = st.tuples(st.integers(0, 500), st.integers(0, 23), st.sampled_from(STATUSES))
certificate = st.fixed_dictionaries({
    "county": st.sampled_from(COUNTIES),
    "scheme": st.sampled_from(("green_food", "organic", "featured", "green_inputs")),
    "start": st.integers(0, 700),
    "length": st.integers(0, 900),
    "changes": st.lists(change, max_size=4),
})


def make(holders, spec):
    valid_from = START + datetime.timedelta(days=spec["start"])
    history = sorted((at(valid_from + datetime.timedelta(days=d), h), s) for d, h, s in spec["changes"])
    history = [(m, s) for i, (m, s) in enumerate(history) if i == 0 or m != history[i - 1][0]]
    return term(holders[spec["county"]], scheme=spec["scheme"], valid_from=valid_from,
                valid_until=valid_from + datetime.timedelta(days=spec["length"]), history=history)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(certificate, max_size=10), after=st.lists(certificate, max_size=4),
       later_changes=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 500), st.sampled_from(STATUSES)),
                              max_size=4))
def test_kept_counts_equal_the_live_query_before_and_after_changes(users, regions, before, after, later_changes):
    with transaction.atomic():
        holders = {code: EntityFactory(region=regions[code]) for code in COUNTIES}
        keep_years(users, regions, 2024, 2025)
        certs = [make(holders, spec) for spec in before]
        valid_store.refresh(TODAY)
        assert set(ValidCountDay.objects.values_list("day", flat=True)) == {D(2024, 12, 31), D(2025, 12, 31), TODAY}
        assert not ValidCountStale.objects.exists()
        for day in (D(2024, 12, 31), D(2025, 12, 31), TODAY):
            assert_same_as_live(regions, day)
        # Written after the refresh: new terms (some for past years), and status changes at any moment.
        certs += [make(holders, spec) for spec in after]
        for index, days, status in later_changes:
            if certs:
                cert = certs[index % len(certs)]
                StatusChange.objects.create(certificate=cert, from_status=cert.status, to_status=status,
                                            actor=system_user(), at=at(START + datetime.timedelta(days=days)))
                cert.status = status
                cert.save(update_fields=["status", "updated_at"])
        for day in (D(2024, 12, 31), D(2025, 12, 31), TODAY):
            assert_same_as_live(regions, day)
        valid_store.refresh(TODAY)
        assert not ValidCountStale.objects.exists()
        for day in (D(2024, 12, 31), D(2025, 12, 31), TODAY):
            assert_same_as_live(regions, day)
        transaction.set_rollback(True)


def test_a_day_not_kept_is_counted_live_and_old_todays_are_dropped(users, regions, gx_entity):
    term(gx_entity)
    keep_years(users, regions, 2024)
    valid_store.refresh(D(2025, 6, 1))
    valid_store.refresh(D(2025, 6, 2))
    assert set(ValidCountDay.objects.values_list("day", flat=True)) == {D(2024, 12, 31), D(2025, 6, 2)}
    cells = {(c.day_id, c.region_id, c.scheme, c.n) for c in ValidCount.objects.all()}
    assert cells == {(D(2024, 12, 31), "450102", "green_food", 1), (D(2025, 6, 2), "450102", "green_food", 1)}
    children = drilldown.child_regions(regions["450000"])
    assert counts_for(children, on=D(2025, 3, 1), parent=regions["450000"], measure="green_food")["450100"] == 1


def test_a_kept_cell_is_not_read_while_stale(users, regions, gx_entity):
    """The kept number is really used: corrupt it and an up-to-date cell answers the corrupt number,
    a stale one the live number."""
    term(gx_entity)
    keep_years(users, regions, 2024)
    valid_store.refresh(D(2025, 1, 5))
    ValidCount.objects.filter(region_id="450102").update(n=7)
    children = drilldown.child_regions(regions["450000"])
    assert counts_for(children, on=D(2024, 12, 31), parent=regions["450000"], measure="green_food")["450100"] == 7
    ValidCountStale.objects.create(region_code="450102", scheme="green_food", marked_at=at(D(2025, 1, 5)))
    assert counts_for(children, on=D(2024, 12, 31), parent=regions["450000"], measure="green_food")["450100"] == 1


def test_a_holder_moved_to_another_county_moves_its_products_at_once(users, regions, gx_entity):
    term(gx_entity)
    keep_years(users, regions, 2024)
    valid_store.refresh(D(2025, 1, 5))
    gx_entity.region = regions["451031"]
    gx_entity.save()
    children = drilldown.child_regions(regions["450000"])
    assert counts_for(children, on=D(2024, 12, 31), parent=regions["450000"], measure="green_food") == {
        "450100": 0, "451000": 1}


URL = "/api/v1/stats/targets/"


def test_issued_and_suspended_certificates_show_in_the_targets_api_at_once(api, users, regions, gx_entity, on_day):
    on_day(D(2025, 3, 1))
    keep_years(users, regions, 2024)
    issue(gx_entity, scheme="green_food", category="01", approved_on=D(2025, 2, 1),
          valid_from=D(2025, 2, 1), valid_until=D(2028, 1, 31))
    valid_store.refresh()
    assert ValidCountDay.objects.filter(day=D(2025, 3, 1)).exists()
    api.force_authenticate(users["gx_province"])

    def nanning():
        rows = api.get(f"{URL}?year=2025&measure=green_food").json()["rows"]
        return next(row["valid"] for row in rows if row["region"]["code"] == "450100")

    assert nanning() == 1
    second = issue(gx_entity, scheme="green_food", category="01", approved_on=D(2025, 2, 20),
                   valid_from=D(2025, 2, 20), valid_until=D(2028, 2, 19))
    assert nanning() == 2
    certificate_set_status(actor=system_user(), certificate=Certificate.objects.get(pk=second.pk),
                           status="suspended", reason="抽检不合格")
    assert nanning() == 1
    valid_store.refresh()
    assert nanning() == 1 and not ValidCountStale.objects.exists()


def test_a_kept_day_is_read_in_a_fixed_number_of_queries(users, regions, holders_everywhere):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    keep_years(users, regions, 2024)
    valid_store.refresh(D(2025, 1, 5))
    StatusChange.objects.create(certificate=Certificate.objects.first(), from_status="valid", to_status="revoked",
                                actor=system_user(), at=at(D(2025, 1, 5)))
    children = drilldown.child_regions(None)
    with CaptureQueriesContext(connection) as queries:
        counts_for(children, on=D(2024, 12, 31), parent=None, measure="green_organic")
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 4  # kept day?, stale marks, kept cells, stale cells live


@pytest.fixture
def holders_everywhere(regions):
    for code in COUNTIES:
        term(EntityFactory(region=regions[code]))
