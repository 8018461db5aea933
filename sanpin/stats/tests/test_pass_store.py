"""Kept first-pass counts (sanpin.stats.pass_store) give exactly the live query's numbers: on
generated applications around the turn of the year, right after a refresh, after changes made
since (state, closing moment, kind, scheme, applicant, events sent back or deleted, an applicant
moved, an application deleted: counted live through the stale marks) and after the next refresh."""

import datetime
import os

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanpin.accounts.models import system_user
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certification.models import Application, Event
from sanpin.stats import pass_store
from sanpin.stats.models import PassRateCount, PassRateRefresh, PassRateStale
from sanpin.stats.review_quality import first_pass_rates

from .test_valid_counts import COUNTIES

pytestmark = pytest.mark.django_db

YEARS = (2024, 2025)
SCHEMES = ("green_food", "organic", "green_inputs")
STATES = ("issued", "issued", "rejected", "withdrawn", "expert_review")
KINDS = ("initial", "renewal", "change")
NEW_YEAR = timezone.make_aware(datetime.datetime(2025, 1, 1))  # midnight in Beijing


def closing(hours: int):
    # Within two days of the new year in Beijing, so the UTC date and the local year differ.
    return None if hours < -48 else NEW_YEAR + datetime.timedelta(hours=hours)


def assert_same_as_live(regions):
    for parent in (None, regions["450000"], regions["450100"], regions["310000"]):
        for scheme in ("", *SCHEMES):
            for year in YEARS:
                kept = first_pass_rates(year=year, region=parent, scheme=scheme)
                live = first_pass_rates(year=year, region=parent, scheme=scheme, live=True)
                assert kept == live, (year, parent, scheme)


application = st.fixed_dictionaries({
    "county": st.sampled_from(COUNTIES),
    "scheme": st.sampled_from(SCHEMES),
    "kind": st.sampled_from(KINDS),
    "state": st.sampled_from(STATES),
    "hours": st.integers(-49, 48),
    "sent_back": st.booleans(),
})
change = st.one_of(
    st.tuples(st.just("state"), st.integers(0, 20), st.sampled_from(STATES)),
    st.tuples(st.just("closed_at"), st.integers(0, 20), st.integers(-49, 48)),
    st.tuples(st.just("kind"), st.integers(0, 20), st.sampled_from(KINDS)),
    st.tuples(st.just("scheme"), st.integers(0, 20), st.sampled_from(SCHEMES)),
    st.tuples(st.just("entity"), st.integers(0, 20), st.sampled_from(COUNTIES)),
    st.tuples(st.just("send_back"), st.integers(0, 20), st.just(None)),
    st.tuples(st.just("drop_events"), st.integers(0, 20), st.just(None)),
    st.tuples(st.just("delete"), st.integers(0, 20), st.just(None)),
    st.tuples(st.just("move_holder"), st.integers(0, 20), st.sampled_from(COUNTIES)),
    st.tuples(st.just("data"), st.integers(0, 20), st.just(None)),
)


def make(holders, spec, actor):
    app = Application.objects.create(scheme=spec["scheme"], kind=spec["kind"], entity=holders[spec["county"]],
                                     state=spec["state"], closed_at=closing(spec["hours"]), created_by=actor)
    if spec["sent_back"]:
        send_back(app, actor)
    return app


def send_back(app, actor):
    Event.objects.create(application=app, action="request_supplement", from_state="preliminary_review",
                         to_state="supplement", actor=actor, at=NEW_YEAR)


def apply(change_spec, apps, holders, regions, actor):
    what, index, value = change_spec
    app = Application.objects.get(pk=apps[index % len(apps)].pk)
    if what in ("state", "kind", "scheme"):
        setattr(app, what, value)
        app.save(update_fields=[what, "updated_at"])
    elif what == "closed_at":
        app.closed_at = closing(value)
        app.save(update_fields=["state", "closed_at", "updated_at"])  # as the workflow engine saves it
    elif what == "entity":
        app.entity = holders[value]
        app.save()
    elif what == "send_back":
        send_back(app, actor)
    elif what == "drop_events":
        for event in app.events.all():
            event.delete()
    elif what == "delete":
        app.delete()
        apps.remove(apps[index % len(apps)])
    elif what == "move_holder":
        holder = app.entity
        holder.region = regions[value]
        holder.save()
    else:  # a field no rate reads
        app.data = {"note": "补充材料"}
        app.save(update_fields=["data", "updated_at"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(application, max_size=12), after=st.lists(application, max_size=4),
       changes=st.lists(change, max_size=6))
def test_kept_counts_equal_the_live_query_before_and_after_changes(users, regions, before, after, changes):
    with transaction.atomic():
        actor = system_user()
        holders = {code: EntityFactory(region=regions[code]) for code in COUNTIES}
        apps = [make(holders, spec, actor) for spec in before]
        pass_store.refresh()
        assert not PassRateStale.objects.exists()
        assert_same_as_live(regions)
        apps += [make(holders, spec, actor) for spec in after]
        for change_spec in changes:
            if apps:
                apply(change_spec, apps, holders, regions, actor)
        assert_same_as_live(regions)
        pass_store.refresh()
        assert not PassRateStale.objects.exists()
        assert_same_as_live(regions)
        transaction.set_rollback(True)


def decided(entity, *, kind="initial", state="issued", year=2025):
    return Application.objects.create(scheme="green_food", kind=kind, entity=entity, state=state,
                                      closed_at=timezone.make_aware(datetime.datetime(year, 6, 1, 10)),
                                      created_by=system_user())


def nanning(year=2025):
    rates = first_pass_rates(year=year, region=None)
    return next(r for r in rates if r.region.code == "450000").first


def test_before_the_first_refresh_the_rates_are_counted_live(regions, gx_entity):
    decided(gx_entity)
    assert not PassRateRefresh.objects.exists()
    assert (nanning().decided, nanning().passed_once) == (1, 1)
    assert pass_store.refresh() == {"full": True, "stale_pairs": 0, "cells": 1}
    assert PassRateCount.objects.get().decided == 1


def test_a_kept_cell_is_read_and_a_stale_pair_is_counted_live(regions, gx_entity):
    """The kept number is really used: corrupt it and an unmarked pair answers the corrupt
    number, a marked one the live number."""
    decided(gx_entity)
    pass_store.refresh()
    PassRateCount.objects.update(decided=7, passed=7)
    assert nanning().decided == 7
    PassRateStale.objects.create(region_code="450102", scheme="green_food", marked_at=timezone.now())
    assert nanning().decided == 1


def test_a_decision_marks_its_pair_and_a_draft_does_not(regions, gx_entity):
    pass_store.refresh()
    draft = Application.objects.create(scheme="organic", kind="initial", entity=gx_entity, state="draft",
                                       created_by=system_user())
    draft.data = {"product": "大米"}
    draft.save()
    send_back(draft, system_user())
    assert not PassRateStale.objects.exists()
    draft.state, draft.closed_at = "rejected", timezone.now()
    draft.save(update_fields=["state", "closed_at", "updated_at"])
    assert list(PassRateStale.objects.values_list("region_code", "scheme")) == [("450102", "organic")]
    pass_store.refresh()
    assert (PassRateCount.objects.get().decided, PassRateCount.objects.get().passed) == (1, 0)


def test_the_next_refresh_recounts_only_the_marked_pairs(regions, gx_entity, sh_entity):
    decided(gx_entity)
    decided(sh_entity)
    pass_store.refresh()
    decided(sh_entity, state="rejected")
    done = pass_store.refresh()
    assert done == {"full": False, "stale_pairs": 1, "cells": 1}
    assert {c.region_id: (c.decided, c.passed) for c in PassRateCount.objects.all()} == {
        "450102": (1, 1), "310101": (2, 1)}


def test_the_rates_api_answers_a_new_decision_at_once(api, users, regions, gx_entity):
    decided(gx_entity)
    pass_store.refresh()
    api.force_authenticate(users["gx_province"])

    def nanning_api():
        rows = api.get("/api/v1/stats/first-pass-rates/?year=2025").json()
        return next(row["first"] for row in rows if row["region"]["code"] == "450100")

    assert (nanning_api()["decided"], nanning_api()["passed_once"]) == (1, 1)
    second = decided(gx_entity)
    send_back(second, system_user())
    assert (nanning_api()["decided"], nanning_api()["passed_once"]) == (2, 1)


def test_a_kept_year_is_read_in_a_fixed_number_of_queries(regions, gx_entity, sh_entity):
    decided(gx_entity)
    decided(sh_entity)
    pass_store.refresh()
    decided(sh_entity)
    with CaptureQueriesContext(connection) as queries:
        first_pass_rates(year=2025, region=None)
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 5  # provinces, refreshed?, stale marks, kept cells, marked pairs live


def test_a_decided_application_moved_to_another_scheme_marks_both_pairs(regions, gx_entity):
    app = decided(gx_entity)
    pass_store.refresh()
    app.scheme = "organic"
    app.save(update_fields=["scheme", "updated_at"])
    assert set(PassRateStale.objects.values_list("scheme", flat=True)) == {"green_food", "organic"}
    assert first_pass_rates(year=2025, scheme="green_food") == first_pass_rates(year=2025, scheme="green_food",
                                                                                  live=True)


def test_the_nightly_task_and_the_command_refresh_the_counts(regions, gx_entity):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    from sanpin.stats.tasks import refresh_pass_rates

    for task in ("stats.refresh_pass_rates", "stats.refresh_valid_counts"):
        assert PeriodicTask.objects.filter(task=task, crontab__minute="*/10", crontab__hour="*").exists()
    decided(gx_entity)
    assert refresh_pass_rates() == "full recount, 1 cells"
    decided(gx_entity, state="rejected")
    assert refresh_pass_rates() == "1 stale pairs recounted, 1 cells"
    assert refresh_pass_rates() == "0 stale pairs recounted, 0 cells"  # nothing marked: nothing done
    call_command("refresh_pass_rates", "--full", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (PassRateCount.objects.get().decided, PassRateCount.objects.get().passed) == (2, 1)
