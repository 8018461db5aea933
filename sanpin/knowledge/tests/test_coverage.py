"""进企入户 coverage per child region against a hand-counted fixture: entities and bases in counties
of two provinces, some received, some trained, some both, some only outside the period, some not
certified on the counting day."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from sanpin.bases import services as bases
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.tests.factories import issue
from sanpin.knowledge import services
from sanpin.knowledge.coverage import coverage

from .conftest import make_standard

pytestmark = pytest.mark.django_db
D = datetime.date
START, END = D(2026, 1, 1), D(2026, 6, 30)
ISSUED = D(2025, 3, 10)


def counts(c):
    return (c.total, c.received, c.trained, c.reached)


@pytest.fixture
def fixture(users, regions, today):
    gx, sh = users["gx_province"], users["sh_province"]

    def entity(name, county, certified=True, approved_on=ISSUED):
        e = EntityFactory(name=name, region=regions[county])
        if certified:
            issue(e, approved_on=approved_on)
        return e

    def base(actor, operator, county, name):
        return bases.base_create(actor=actor, name=name, operator=operator, county=regions[county], base_type="GF",
                                 level="district", products="沃柑", area_mu="100", output_tons="300", location="某镇")

    e = {
        "A": entity("A 兴宁", "450102"), "B": entity("B 兴宁", "450102"), "C": entity("C 青秀", "450103"),
        "D": entity("D 青秀", "450103"), "E": entity("E 隆林", "451031"),
        "F": entity("F 兴宁未获证", "450102", certified=False),
        "G": entity("G 兴宁已过期", "450102", approved_on=D(2023, 1, 10)),  # 3 years: ended 2026-01-09
        "S1": entity("S1 黄浦", "310101"), "S2": entity("S2 徐汇", "310104"),
    }
    b = {"b1": base(gx, e["A"], "450102", "b1"), "b2": base(gx, e["E"], "451031", "b2"),
         "b3": base(gx, e["C"], "450103", "b3"), "sb1": base(sh, e["S1"], "310101", "sb1")}
    standard = make_standard(users["national"])

    def deliver(actor, recipients, day):
        services.distribution_record(actor=actor, standard=standard, recipients=recipients, delivered_on=day,
                                     means="paper", copies=1, delivered_by="发放人")

    deliver(gx, [e["A"].uscc, e["C"].uscc, e["F"].uscc, e["G"].uscc, "b1"], D(2026, 3, 1))
    deliver(gx, [e["D"].uscc], D(2025, 12, 1))  # before the period
    deliver(sh, [e["S1"].uscc], D(2026, 2, 1))

    def train(held_on, region, rows):
        session = services.training_create(actor=gx, kind="briefing", title=f"宣讲 {held_on}", held_on=held_on,
                                           region=regions[region], location="会场", trainer="讲师")
        services.training_record_attendance(actor=gx, session=session, rows=rows)

    train(D(2026, 4, 1), "450100", [(e["B"].uscc, 2), (e["C"].uscc, 1)])
    train(D(2026, 5, 1), "450000", [("b2", 3)])  # the base's operator E counts as trained too
    train(D(2025, 12, 15), "450100", [(e["D"].uscc, 1)])  # before the period
    return e, b


def test_the_whole_country_by_province(fixture, regions):
    result = coverage(region=None, start=START, end=END)
    rows = {row.region.code: row for row in result.rows}
    assert set(rows) == {"450000", "310000"}
    assert counts(rows["450000"].entities) == (5, 2, 3, 4)  # A B C D E; A C; B C E; A B C E
    assert counts(rows["450000"].bases) == (3, 1, 1, 2)
    assert counts(rows["310000"].entities) == (2, 1, 0, 1)
    assert counts(rows["310000"].bases) == (1, 0, 0, 0)
    assert counts(result.total.entities) == (7, 3, 3, 5)
    total = result.total.entities
    assert (str(total.received_percent), str(total.reached_percent)) == ("42.9", "71.4")


def test_a_province_by_city_and_a_city_by_county(fixture, regions):
    guangxi = {row.region.code: row for row in coverage(region=regions["450000"], start=START, end=END).rows}
    assert counts(guangxi["450100"].entities) == (4, 2, 2, 3)
    assert counts(guangxi["450100"].bases) == (2, 1, 0, 1)
    assert counts(guangxi["451000"].entities) == (1, 0, 1, 1)
    assert counts(guangxi["451000"].bases) == (1, 0, 1, 1)
    nanning = {row.region.code: row for row in coverage(region=regions["450100"], start=START, end=END).rows}
    assert counts(nanning["450102"].entities) == (2, 1, 1, 2)
    assert counts(nanning["450103"].entities) == (2, 1, 1, 1)
    assert counts(nanning["450103"].bases) == (1, 0, 0, 0)


def test_a_period_covering_december_counts_what_was_done_then(fixture, regions):
    nanning = {row.region.code: row for row in coverage(region=regions["450100"], start=D(2025, 12, 1),
                                                        end=D(2025, 12, 31)).rows}
    assert counts(nanning["450103"].entities) == (2, 1, 1, 1)  # D received and trained in December
    assert counts(nanning["450102"].entities) == (3, 0, 0, 0)  # G's certificate was still valid then


def test_the_api_answers_per_child_region_inside_the_callers_scope(api, users, fixture):
    api.force_authenticate(users["gx_province"])
    body = api.get("/api/v1/knowledge/coverage/?from=2026-01-01&to=2026-06-30").json()
    assert body["region"]["code"] == "450000"
    nanning = next(r for r in body["rows"] if r["region"]["code"] == "450100")
    assert nanning["entities"]["total"] == 4 and nanning["entities"]["reached_percent"] == "75.0"
    assert api.get("/api/v1/knowledge/coverage/?region=310000").status_code == 404
    bad = api.get("/api/v1/knowledge/coverage/?from=2026-06-30&to=2026-01-01")
    assert bad.status_code == 400 and "to" in bad.json()["fields"]
    api.force_authenticate(users["gx_applicant"])
    assert api.get("/api/v1/knowledge/coverage/").status_code == 403


def test_the_page_drills_down_and_exports_the_same_table(client, users, fixture):
    client.force_login(users["national"])
    page = client.get("/knowledge/coverage/?from=2026-01-01&to=2026-06-30")
    assert page.status_code == 200 and "region=450000" in page.content.decode()
    export = client.get("/knowledge/coverage/export/?from=2026-01-01&to=2026-06-30&region=450100")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["450102"][2:5] == (2, 1, 50.0) and rows["450100"][0] == "合计" and rows["450100"][2] == 4
    client.force_login(users["sh_province"])
    assert client.get("/knowledge/coverage/?region=450000").status_code == 404
