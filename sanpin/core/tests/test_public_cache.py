"""Cached public answers: shown only while the key's change stamp is the one they were read under."""

import datetime

import pytest

from sanpin.core import public_cache

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 5, 1)


def test_an_answer_is_served_from_the_cache_until_its_key_changes(django_capture_on_commit_callbacks):
    computed = []

    def compute():
        computed.append(1)
        return {"result": "valid", "n": len(computed)}

    assert public_cache.cached(public_cache.VERIFY, "B1", DAY, compute)["n"] == 1
    assert public_cache.cached(public_cache.VERIFY, "B1", DAY, compute)["n"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        public_cache.changed("B1")
    assert public_cache.cached(public_cache.VERIFY, "B1", DAY, compute)["n"] == 2
    # Another day, another answer (an expiry shows on the day itself).
    assert public_cache.cached(public_cache.VERIFY, "B1", DAY + datetime.timedelta(days=1), compute)["n"] == 3


def test_an_answer_read_before_a_change_and_stored_after_it_is_never_shown(django_capture_on_commit_callbacks):
    # A lookup reads the stamps, then the row (still valid); the revocation commits; then the
    # lookup stores what it read. Plain delete-on-change would now serve "valid" for minutes.
    found, stamps = public_cache.read_many(public_cache.MARK, ["B2"], DAY)
    assert found == {}
    with django_capture_on_commit_callbacks(execute=True):
        public_cache.changed("B2")
    public_cache.write_many(public_cache.MARK, {"B2": {"status": "valid"}}, stamps, DAY)

    found, _ = public_cache.read_many(public_cache.MARK, ["B2"], DAY)
    assert found == {}


def test_kinds_and_keys_are_kept_apart():
    public_cache.write_many(public_cache.MARK, {"B3": "mark"}, {"B3": None}, DAY)
    public_cache.write_many(public_cache.VERIFY, {"B3": "verify", "B4": "other"}, {"B3": None, "B4": None}, DAY)

    assert public_cache.read_many(public_cache.MARK, ["B3", "B4"], DAY)[0] == {"B3": "mark"}
    assert public_cache.read_many(public_cache.VERIFY, ["B3", "B4"], DAY)[0] == {"B3": "verify", "B4": "other"}


def test_a_status_change_through_the_service_shows_at_once(api, users, gx_entity, django_capture_on_commit_callbacks):
    from sanpin.certificates.services import certificate_set_status
    from sanpin.certificates.tests.factories import issue

    certificate = issue(gx_entity, approved_on=datetime.date.today() - datetime.timedelta(days=30))
    url = f"/api/v1/public/verify/?code={certificate.number}"
    assert api.get(url).json()["result"] == "valid"
    assert api.get(url).json()["result"] == "valid"  # now from the cache

    with django_capture_on_commit_callbacks(execute=True):
        certificate_set_status(actor=users["national"], certificate=certificate, status="revoked", reason="抽检不合格")

    assert api.get(url).json()["result"] == "revoked"
