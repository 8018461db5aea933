"""Keyset pages of the three long staff lists (certificates, applications, 合格证), UI and API:
following `next` from the top visits every row once, in the list's order, with the filters kept,
even where many rows share the sort value; `previous` walks back the same pages; and no page is
read with OFFSET."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanpin.certificates.models import Certificate
from sanpin.certificates.tests.factories import issue
from sanpin.certification.models import Application
from sanpin.compliance import issuing
from sanpin.compliance.models import ComplianceCertificate
from sanpin.core import keyset

pytestmark = pytest.mark.django_db
SAME_DAY = datetime.date(2025, 3, 10)


def walk_api(api, url):
    """Every page from `url` by its `next` links: (rows, the SQL of every request)."""
    rows, sql, bodies = [], [], []
    while url:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        assert set(body) == {"count", "next", "previous", "results"}
        rows.extend(body["results"])
        bodies.append(body)
        sql.extend(q["sql"] for q in captured)
        url = body["next"]
    return rows, sql, bodies


def no_offset(sql):
    assert sql and not [q for q in sql if re.search(r"\bOFFSET\b", q, re.I)]


@pytest.fixture
def certificates(gx_entity, sh_entity):
    # 9 share one approval day (ties broken by number), 4 later; 3 in Shanghai (out of Guangxi's scope).
    made = [issue(gx_entity, approved_on=SAME_DAY, product_name=f"同日产品{i}") for i in range(9)]
    made += [issue(gx_entity, approved_on=SAME_DAY + datetime.timedelta(days=i + 1), product_name=f"后来产品{i}")
             for i in range(4)]
    made += [issue(sh_entity, approved_on=SAME_DAY, product_name=f"上海产品{i}") for i in range(3)]
    return made


def test_certificate_api_keyset_visits_every_row_once_in_order(api, users, certificates):
    api.force_authenticate(users["gx_province"])
    expected = list(Certificate.objects.filter(holder__region__code__startswith="45", renewed=False)
                    .order_by("-approved_on", "number").values_list("number", flat=True))
    assert len(expected) == 13

    rows, sql, bodies = walk_api(api, "/api/v1/certificates/?after=&page_size=4")

    assert [r["number"] for r in rows] == expected
    assert len(bodies) == 4 and all(b["count"] is None for b in bodies)
    assert bodies[0]["previous"] is None and bodies[-1]["next"] is None
    no_offset(sql)
    # Walking back from the last page by `previous` gives the same pages.
    back, url = [], bodies[-1]["previous"]
    while url:
        body = api.get(url).json()
        back = [r["number"] for r in body["results"]] + back
        url = body["previous"]
    assert back == expected[:len(back)] and len(back) == 12  # everything before the last page (1 row)
    # Plain pages still count.
    assert api.get("/api/v1/certificates/?page=2&page_size=4").json()["count"] == 13


def test_certificate_api_keyset_keeps_filters(api, users, certificates):
    api.force_authenticate(users["national"])
    rows, _sql, _ = walk_api(api, "/api/v1/certificates/?" + urlencode({"after": "", "page_size": 2, "q": "同日"}))
    assert [r["number"] for r in rows] == sorted(c.number for c in certificates[:9])  # same day: by number
    rows, _sql, _ = walk_api(api, "/api/v1/certificates/?after=&page_size=2&region=310000")
    assert {r["product_name"] for r in rows} == {f"上海产品{i}" for i in range(3)}


def test_certificate_api_rejects_a_forged_cursor(api, users, certificates):
    api.force_authenticate(users["gx_province"])
    response = api.get("/api/v1/certificates/?after=bm90LWEtY3Vyc29y")
    assert response.status_code == 400 and "after" in response.json()["fields"]


def test_certificate_list_page_deep_page_by_cursor(client, users, certificates):
    client.force_login(users["gx_province"])
    first = client.get("/certificates/")
    assert "共 13 个编号" in first.content.decode()
    expected = list(Certificate.objects.filter(holder__region__code__startswith="45", renewed=False)
                    .order_by("-approved_on", "number"))
    cursor = keyset.SortKey(("-approved_on", "number")).encode(expected[9])
    with CaptureQueriesContext(connection) as captured:
        deep = client.get(f"/certificates/?after={cursor}&scheme=green_inputs")
    html = deep.content.decode()
    assert [c.number for c in expected[10:]] == re.findall(r'/certificates/([^/"]+)/"', html)
    assert "上一页" in html and "首页" in html and "scheme=green_inputs" in html
    no_offset([q["sql"] for q in captured])


def _applications(users, entity, n, at):
    Application.objects.bulk_create([
        Application(scheme="green_inputs" if i % 3 else "organic", kind="initial", entity=entity,
                    created_by=users["gx_applicant"], number=f"SQ{i:04d}") for i in range(n)])
    Application.objects.update(created_at=at)  # every row shares the sort value: the id decides


def test_application_api_keyset_with_a_filter_and_ties(api, users, gx_entity):
    _applications(users, gx_entity, 20, timezone.now())
    api.force_authenticate(users["gx_province"])
    expected = list(Application.objects.filter(scheme="green_inputs").order_by("-id").values_list("id", flat=True))

    rows, sql, _ = walk_api(api, "/api/v1/applications/?after=&page_size=3&scheme=green_inputs")

    assert [r["id"] for r in rows] == expected
    no_offset(sql)


def test_application_list_page_pages_by_cursor(client, users, gx_entity):
    _applications(users, gx_entity, 30, timezone.now())
    client.force_login(users["gx_province"])
    first = client.get("/certification/applications/").content.decode()
    cursor = re.search(r'after=([^"&]+)', first).group(1)
    with CaptureQueriesContext(connection) as captured:
        second = client.get(f"/certification/applications/?after={cursor}").content.decode()
    ids = [int(i) for i in re.findall(r"/certification/applications/(\d+)/", first + second)]
    assert ids == list(Application.objects.order_by("-id").values_list("id", flat=True))
    no_offset([q["sql"] for q in captured])


def test_compliance_api_keyset_previous_and_ties(api, users):
    issuing.compliance_issue(actor=users["gx_applicant"], items=[
        {"product_name": f"西红柿{i}", "category": "vegetable", "quantity": "100", "unit": "公斤"} for i in range(11)])
    moment = ComplianceCertificate.objects.order_by("issued_at").first().issued_at
    ComplianceCertificate.objects.update(issued_at=moment)  # one instant for all: the id decides
    api.force_authenticate(users["gx_province"])
    expected = list(ComplianceCertificate.objects.order_by("-id").values_list("code", flat=True))

    rows, sql, bodies = walk_api(api, "/api/v1/compliance-certificates/?page_size=4")

    assert [r["code"] for r in rows] == expected
    no_offset(sql)
    back = api.get(bodies[-1]["previous"]).json()
    assert [r["code"] for r in back["results"]] == expected[4:8]


def test_sort_key_cursor_round_trips_exact_times():
    key = keyset.SortKey(("-issued_at", "-id"))

    class Row:
        issued_at = datetime.datetime(2025, 3, 10, 8, 1, 2, 345678, tzinfo=datetime.UTC)
        id = 7

    assert key.decode(ComplianceCertificate, key.encode(Row)) == [Row.issued_at, 7]
    assert key.decode(ComplianceCertificate, "x" * 400) is None
    assert key.decode(ComplianceCertificate, "e30") is None  # "{}"
