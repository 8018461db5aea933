"""One-time pass rates per region [001 §7], checked against a fixture counted by hand."""

from datetime import datetime

import pytest
from django.utils import timezone

from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certification.models import Application, Event

pytestmark = pytest.mark.django_db


def decided(entity, kind, state, *, sent_back=False, year=2026, actor):
    closed = timezone.make_aware(datetime(year, 6, 1, 10, 0))
    app = Application.objects.create(scheme="green_inputs", kind=kind, entity=entity, state=state, closed_at=closed,
                                     created_by=actor)
    if sent_back:
        Event.objects.create(application=app, action="request_supplement", from_state="preliminary_review",
                             to_state="supplement", actor=actor, at=closed)
    return app


@pytest.fixture
def fixture(users, regions):
    """Nanning: first 1 of 3 passed once (one was sent back, one rejected), renewal 1 of 1.
    Baise: first 2 of 2, renewal 1 of 2. Withdrawn, other-year and Shanghai rows do not count."""
    actor = users["national"]
    nanning = EntityFactory(region=regions["450102"])
    baise = EntityFactory(region=regions["451031"])
    shanghai = EntityFactory(region=regions["310101"])
    decided(nanning, "initial", "issued", actor=actor)
    decided(nanning, "initial", "issued", sent_back=True, actor=actor)
    decided(nanning, "initial", "rejected", actor=actor)
    decided(nanning, "renewal", "issued", actor=actor)
    decided(nanning, "initial", "withdrawn", actor=actor)
    decided(nanning, "initial", "issued", year=2025, actor=actor)
    decided(baise, "initial", "issued", actor=actor)
    decided(baise, "initial", "issued", actor=actor)
    decided(baise, "renewal", "issued", actor=actor)
    decided(baise, "renewal", "rejected", actor=actor)
    decided(shanghai, "initial", "rejected", actor=actor)


def by_code(response):
    return {row["region"]["code"]: row for row in response.json()}


def test_rates_per_city_match_the_hand_count(api, users, fixture):
    api.force_authenticate(users["gx_province"])
    rows = by_code(api.get("/api/v1/stats/first-pass-rates/?year=2026"))
    assert set(rows) == {"450100", "451000"}
    nanning, baise = rows["450100"], rows["451000"]
    assert (nanning["first"]["decided"], nanning["first"]["passed_once"]) == (3, 1)
    assert nanning["first"]["percent"] == "33.3" and nanning["first"]["flagged"] is True
    assert (nanning["renewal"]["percent"], nanning["renewal"]["flagged"]) == ("100.0", False)
    assert (baise["first"]["percent"], baise["first"]["flagged"]) == ("100.0", False)
    assert (baise["renewal"]["percent"], baise["renewal"]["flagged"]) == ("50.0", True)  # below 60%


def test_the_country_is_broken_down_by_province(api, users, fixture):
    api.force_authenticate(users["national"])
    rows = by_code(api.get("/api/v1/stats/first-pass-rates/?year=2026"))
    assert rows["450000"]["first"]["decided"] == 5 and rows["450000"]["first"]["passed_once"] == 3
    assert rows["310000"]["first"] == {"decided": 1, "passed_once": 0, "percent": "0.0", "threshold": "40.0",
                                       "flagged": True}


def test_other_regions_and_other_roles_are_refused(api, users, fixture):
    api.force_authenticate(users["sh_province"])
    assert api.get("/api/v1/stats/first-pass-rates/?region=450000").status_code == 404
    api.force_authenticate(users["gx_applicant"])
    assert api.get("/api/v1/stats/first-pass-rates/").status_code == 403
    api.force_authenticate(users["gx_province"])
    assert api.get("/api/v1/stats/first-pass-rates/?year=20x6").json()["fields"]["year"]
