"""Deny by default, proven by walking every URL the project routes.

- Anonymous: every page that is not listed public redirects to the login page; every API
  endpoint that is not listed public answers 401 with the error body.
- Signed in without a role: every page and endpoint not open to any signed-in user answers 403
  (or 404 for an object it may not know exists).
- Another region: object pages and endpoints of a Shanghai entity answer 404 to Guangxi staff.

A new URL must be classified here (public, any signed-in user, or protected) and any path
parameter it takes must have a sample value, or this test fails: nothing is public by accident.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from sanpin.accounts.tests.factories import UserFactory

# Route names (namespace:name) anyone may open without signing in.
PUBLIC = {
    "portal:home",
    "accounts:login",
    "accounts:logout",
    "catalog:signup",
    "api-schema",
    "api-docs",
    "api-redoc",
    "token",
    "region-list",
    "region-detail",
    "portal:verify",
    "verify-scan",
    "certificates:announcements",
    "announcement-list",
    "public-verify",
    "public-keys",
    "gi:verify",
    "public-gi",
    "portal:search",
    "public-search",
    "opendata:index",
    "opendata:file",
    "oversight:complaint_new",
    "oversight:complaint_track",
    "public-complaint",
    "public-complaint-status",
    "compliance:scan",
    "public-compliance",
    "portal:bases",
    "portal:base_detail",
    "public-base-list",
    "public-base-detail",
    "portal:credit_info",
    "public-credit",
    "public-credit-revocations",
    "portal:statistics",
    # market (supply listings, dealer directory)
    "market:index",
    "market:listing_detail",
    "market:dealers",
    "market:buyer_signup",
    "public-listing-list",
    "public-listing-detail",
    "public-dealer-list",
    # promotion (events, award lists)
    "promotion:events",
    "promotion:event",
    "promotion:awards",
    "promotion:award_list",
    "public-event-list",
    "public-event-detail",
    "public-award-list-list",
    "public-award-list-detail",
    # knowledge (standards library)
    "knowledge:library",
    "knowledge:standard",
    "knowledge:standard_file",
    "knowledge:procedure",
    "knowledge:procedure_file",
    "public-standard-list",
    "public-procedure-list",
    # inputs (allowed-inputs search)
    "inputs:search",
    "public-allowed-inputs",
}
# Open to every signed-in user whatever the role (their own account, a second-factor step, or a
# calculator that reveals no records).
ANY_SIGNED_IN = {
    "accounts:home",
    "accounts:profile",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:otp_disable",
    "token-revoke",
    "me",
    "calendar-deadline",
    "calendar-holiday-notices",
    "calendar-days",
    # A user's own notifications (others' answer 404).
    "notifications:list",
    "notifications:mark_read",
    "notifications:mark_all_read",
    "notification-list",
    "notification-read",
    # A user's own background jobs (imports, exports); others' answer 404.
    "core:job_list",
    "core:job_detail",
    "core:job_progress",
    "core:job_download",
    "job-detail",
}
# Path segments that are not ours to guard (Django admin has its own staff login; static files).
SKIP_PREFIXES = ("admin/", "static/", "media/", "__debug__/")

# Sample values for path parameters, by name. Entity-like ids point at the Shanghai entity so that
# the same walk proves region isolation for Guangxi staff.
SAMPLE = {
    "pk": lambda ctx: ctx["sh_entity"].pk,
    "entity_id": lambda ctx: ctx["sh_entity"].pk,
    "id": lambda ctx: ctx["sh_entity"].pk,
    "code": lambda ctx: "310101",
    "seq": lambda ctx: 1,
    "year": lambda ctx: 2025,
    "format": lambda ctx: "json",
    "attachment_id": lambda ctx: 1,
    "delivery_id": lambda ctx: "00000000-0000-4000-8000-000000000001",
    "event_id": lambda ctx: "00000000-0000-4000-8000-000000000002",
    "number": lambda ctx: _shanghai_certificate(ctx).number,
    "document_id": lambda ctx: _shanghai_archive_document(ctx).pk,
    "gi_number": lambda ctx: _shanghai_gi(ctx).number,
    "authorization_id": lambda ctx: _shanghai_gi_authorization(ctx).pk,
    "name": lambda ctx: "registry.csv",
    "batch_id": lambda ctx: 1,
    "evidence_id": lambda ctx: 1,
    "item_id": lambda ctx: 1,
    "action": lambda ctx: "submit",
    "step": lambda ctx: "submit",
    "directory_number": lambda ctx: "JD31202500001",
    "job_id": lambda ctx: 1,
}


def _shanghai_application(ctx):
    """A draft application of the Shanghai entity, made on first use in a test."""
    if "sh_application" not in ctx:
        from sanpin.certification.engine import application_create

        ctx["sh_application"] = application_create(
            actor=ctx["users"]["sh_applicant"], scheme="green_inputs", kind="initial", entity=ctx["sh_entity"],
            products=[{"name": "申绿牌有机肥", "category": "01", "approved_output": "100"}],
        )
    return ctx["sh_application"]


def _shanghai_certificate(ctx):
    """A licence held by the Shanghai entity, issued on first use in a test."""
    if "sh_certificate" not in ctx:
        from sanpin.certificates.tests.factories import issue

        ctx["sh_certificate"] = issue(ctx["sh_entity"])
    return ctx["sh_certificate"]


def _shanghai_archive_document(ctx):
    """An imported archive file of the Shanghai licence, made on first use in a test."""
    if "sh_document" not in ctx:
        from sanpin.records_import.tests.factories import archive_document

        ctx["sh_document"] = archive_document(_shanghai_certificate(ctx))
    return ctx["sh_document"]


def _shanghai_gap(ctx):
    """A GAP certificate of the Shanghai entity, recorded on first use in a test."""
    if "sh_gap" not in ctx:
        from sanpin.gap.tests.factories import record_gap

        ctx["sh_gap"] = record_gap(ctx["users"]["sh_province"], ctx["sh_entity"], number="SH-GAP-1")
    return ctx["sh_gap"]


def _shanghai_gi(ctx):
    """A GI registration held by the Shanghai entity, imported on first use in a test."""
    if "sh_gi" not in ctx:
        from sanpin.gi.tests.factories import register

        ctx["sh_gi"] = register(ctx["users"]["sh_province"], ctx["sh_entity"], number="AGI09999", counties="310101")
    return ctx["sh_gi"]


def _shanghai_gi_authorization(ctx):
    """A mark-use authorisation under the Shanghai GI registration."""
    if "sh_gi_authorization" not in ctx:
        import datetime

        from sanpin.gi.services import gi_authorize

        ctx["sh_gi_authorization"] = gi_authorize(
            actor=ctx["users"]["sh_province"], registration=_shanghai_gi(ctx), user_entity=ctx["sh_entity"],
            product="茭白", quantity=1, unit="吨", valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2025, 12, 31),
        )
    return ctx["sh_gi_authorization"]


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace])) if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + route, ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + route, name, entry


def routes():
    seen = set()
    for route, name, _ in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or "(?P<format>" in route or route.endswith(".<format>"):
            continue
        key = (route, name)
        if key not in seen:
            seen.add(key)
            yield route, name


OBJECT_PARAM = re.compile(r"<(\w+:)?(pk|entity_id|id|number|document_id|gi_number)>")
ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def concrete(route, ctx):
    def fill(match):
        name = match.group("name")
        if name == "pk" and "applications/" in route:
            return str(_shanghai_application(ctx).pk)
        if name == "pk" and route.startswith("gap/"):
            return str(_shanghai_gap(ctx).pk)
        assert name in SAMPLE, f"no sample value for path parameter {name!r} in {route!r}: add one to SAMPLE"
        return str(SAMPLE[name](ctx))

    path = ROUTE_PARAM.sub(fill, route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + path


ALL_ROUTES = sorted(routes())


def test_every_named_route_is_classified():
    unnamed = [route for route, name in ALL_ROUTES if not name]
    assert unnamed == [], f"routes without a name cannot be classified: {unnamed}"


@pytest.fixture
def ctx(users, gx_entity, sh_entity):
    return {"users": users, "gx_entity": gx_entity, "sh_entity": sh_entity}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ALL_ROUTES, ids=[name or route for route, name in ALL_ROUTES])
def test_anonymous_is_sent_to_login_or_refused(client, ctx, route, name):
    if name in PUBLIC:
        return
    url = concrete(route, ctx)
    response = client.get(url)
    if url.startswith("/api/"):
        assert response.status_code == 401, f"{url} answered {response.status_code} to an anonymous caller"
        assert response.json()["code"] == "not_authenticated"
    else:
        assert response.status_code == 302, f"{url} answered {response.status_code} to an anonymous caller"
        assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ALL_ROUTES, ids=[name or route for route, name in ALL_ROUTES])
def test_a_user_without_a_role_is_refused(client, ctx, route, name):
    if name in PUBLIC or name in ANY_SIGNED_IN:
        return
    nobody = UserFactory(username="nobody")
    client.force_login(nobody)
    url = concrete(route, ctx)
    response = client.get(url)
    assert response.status_code in (403, 404, 405), f"{url} answered {response.status_code} to a user with no role"
    if url.startswith("/api/") and response.status_code != 405:
        assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ALL_ROUTES, ids=[name or route for route, name in ALL_ROUTES])
def test_another_regions_objects_are_not_found(client, ctx, route, name):
    """Guangxi staff asking for a Shanghai entity's pages get 404, never its content."""
    if name in PUBLIC or name in ANY_SIGNED_IN or not OBJECT_PARAM.search(route):
        return
    client.force_login(ctx["users"]["gx_province"])
    url = concrete(route, ctx)
    response = client.get(url)
    assert response.status_code in (403, 404, 405), f"{url} answered {response.status_code} across regions"
    assert ctx["sh_entity"].name not in response.content.decode()
