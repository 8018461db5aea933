"""Who is in a plan, over many combinations: a certificate counts when it is of a chosen scheme,
its holder is in the province, it has started by the basis date, has not ended before it, and its
status is valid or in rectification (decision 0022)."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanpin.accounts.models import system_user
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.services import certificate_set_status
from sanpin.inspections.services import held_certificates

from .factories import issue

pytestmark = pytest.mark.django_db
BASIS = datetime.date(2026, 1, 1)

spec = st.fixed_dictionaries({
    "scheme": st.sampled_from(["green_food", "green_inputs"]),
    "county": st.sampled_from(["450102", "451031", "310101"]),
    "status": st.sampled_from(["valid", "in_rectification", "suspended", "stopped", "revoked"]),
    "start": st.integers(min_value=-800, max_value=40),  # days from the basis date
    "length": st.integers(min_value=0, max_value=1200),
})


def expected(s) -> bool:
    start = BASIS + datetime.timedelta(days=s["start"])
    end = start + datetime.timedelta(days=s["length"])
    return (s["scheme"] == "green_food" and s["county"].startswith("45") and start <= BASIS <= end
            and s["status"] in ("valid", "in_rectification"))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(spec, min_size=1, max_size=6))
def test_membership_follows_the_rule(regions, specs):
    made = []
    for s in specs:
        holder = EntityFactory(region=regions[s["county"]])
        start = BASIS + datetime.timedelta(days=s["start"])
        certificate = issue(s["scheme"], holder, valid_from=start,
                            valid_until=start + datetime.timedelta(days=s["length"]))
        if s["status"] != "valid":
            certificate_set_status(actor=system_user(), certificate=certificate, status=s["status"], reason="测试")
        made.append((certificate.pk, expected(s)))
    listed = set(held_certificates(province=regions["450000"], schemes=["green_food"], on=BASIS)
                 .filter(pk__in=[pk for pk, _ in made]).values_list("pk", flat=True))
    assert listed == {pk for pk, wanted in made if wanted}
