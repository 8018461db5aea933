"""Renewal rate per region: licence terms ending in the year, and how many went on without a gap."""

from datetime import date, timedelta

import pytest

from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.services import certificate_set_status, green_inputs_validity
from sanpin.certificates.tests.factories import issue

pytestmark = pytest.mark.django_db


def renew(old, *, approved_on):
    valid_from = old.valid_until + timedelta(days=1)
    return issue(old.holder, approved_on=approved_on, valid_from=valid_from,
                 valid_until=green_inputs_validity(valid_from), number=old.number, predecessor=old)


def test_renewal_rate_counts_terms_continued_without_a_gap(api, users, regions):
    nanning = EntityFactory(region=regions["450102"])
    baise = EntityFactory(region=regions["451031"])
    # Terms approved in 2023 end in 2026
    a = issue(nanning, approved_on=date(2023, 3, 1))
    issue(nanning, approved_on=date(2023, 4, 1), product_name="水溶肥料")  # due, not renewed
    c = issue(baise, approved_on=date(2023, 5, 1))
    d = issue(baise, approved_on=date(2023, 6, 1), product_name="叶面肥")
    renew(a, approved_on=date(2026, 1, 10))  # in time
    renew(c, approved_on=c.valid_until + timedelta(days=30))  # after a gap: not in time
    certificate_set_status(actor=users["national"], certificate=d, status="revoked", reason="抽检不合格")

    api.force_authenticate(users["gx_province"])
    rows = {r["region"]["code"]: r for r in api.get("/api/v1/stats/renewal-rates/?year=2026").json()}
    assert (rows["450100"]["due"], rows["450100"]["renewed_in_time"], rows["450100"]["percent"]) == (2, 1, "50.0")
    assert (rows["451000"]["due"], rows["451000"]["renewed_in_time"], rows["451000"]["percent"]) == (1, 0, "0.0")
