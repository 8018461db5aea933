"""The yearly base information collection: a province opens a cycle, each county submits a snapshot
of its bases, its city returns it with comments or reviews it (the province where no city agency
stands between), with the history per county and the audit trail [002 §3(2)]."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from sanpin.bases import collection, services
from sanpin.bases.choices import BaseStatus, RemovalCause, SubmissionStatus
from sanpin.bases.models import CountySubmission
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.notifications.models import Notification

pytestmark = pytest.mark.django_db



def make_base(actor, entity, county, name, output, area="100"):
    return services.base_create(actor=actor, name=name, base_type="GF", level="district", operator=entity,
                                county=county, products="沙田柚", area_mu=area, output_tons=output, location="五塘镇")


def submission(cycle_id, county):
    return CountySubmission.objects.get(cycle_id=cycle_id, county_id=county)


class Api:
    def __init__(self, api, people):
        self.api, self.people = api, people

    def as_(self, who):
        self.api.force_authenticate(self.people[who])
        return self

    def open(self, province, year):
        return self.api.post("/api/v1/bases/collection/cycles/", {"province": province, "year": year}, format="json")

    def step(self, pk, step, comment=""):
        return self.api.post(f"/api/v1/bases/collection/submissions/{pk}/{step}/", {"comment": comment}, format="json")


@pytest.fixture
def c(api, people):
    return Api(api, people)


def test_a_county_is_returned_by_its_city_with_comments_resubmits_and_is_reviewed(c, people, gx_entity, regions,
                                                                                 on_day):
    on_day(date(2025, 3, 3))
    opened = c.as_("gx_province").open("450000", 2025)
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    # One submission per county of the province, all not started
    assert sorted(s["county"] for s in body["submissions"]) == ["450102", "450103", "451031"]
    assert {s["status"] for s in body["submissions"]} == {"not_started"}
    assert c.open("450000", 2025).status_code == 409
    cycle_id = body["id"]
    xn = submission(cycle_id, "450102")

    make_base(people["xn_county"], gx_entity, regions["450102"], "五塘沙田柚基地", "8000", "5200")
    make_base(people["xn_county"], gx_entity, regions["450102"], "昆仑蔬菜基地", "2000", "800")
    removed = make_base(people["xn_county"], gx_entity, regions["450102"], "已移出基地", "500")
    services.base_list(actor=people["nn_city"], base=removed, reference="JD45202500001")
    services.base_remove(actor=people["xn_county"], base=removed, cause=RemovalCause.INCIDENT,
                         reason="抽检检出禁用农药")
    assert removed.__class__.objects.get(pk=removed.pk).status == BaseStatus.REMOVED

    # Only the county itself submits: another county does not see it, its city is not the submitter
    assert c.as_("qx_county").step(xn.pk, "submit").status_code == 404
    assert c.as_("nn_city").step(xn.pk, "submit").status_code == 403
    # Nothing to review before it is submitted
    assert c.as_("nn_city").step(xn.pk, "review").status_code == 409

    on_day(date(2025, 6, 1))
    sent = c.as_("xn_county").step(xn.pk, "submit")
    assert sent.status_code == 200, sent.json()
    sent = sent.json()
    # The snapshot leaves the removed base out
    assert (sent["status"], sent["base_count"], sent["area_mu"], sent["output_tons"]) == (
        "submitted", 2, "6000.00", "10000.00")
    assert c.step(xn.pk, "submit").status_code == 409  # already submitted
    assert Notification.objects.filter(recipient=people["nn_city"], title__contains="兴宁区").exists()

    # Reviewed by its own city only: another city does not see it, the province is not the reviewer here
    assert c.as_("bs_city").step(xn.pk, "return", "x").status_code == 404
    assert c.as_("gx_province").step(xn.pk, "review").status_code == 403
    assert c.as_("xn_county").step(xn.pk, "review").status_code == 403
    refused = c.as_("nn_city").step(xn.pk, "return", "   ")
    assert refused.status_code == 400 and "comment" in refused.json()["fields"]
    returned = c.step(xn.pk, "return", "昆仑蔬菜基地产量与上年统计不符，请核实")
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned" and returned.json()["comment"].startswith("昆仑蔬菜基地")
    assert Notification.objects.filter(recipient=people["xn_county"], body__contains="产量与上年统计不符").exists()
    assert c.step(xn.pk, "review").status_code == 409  # returned: the county must resubmit first

    # The county corrects the base and resubmits: the new figures are recorded
    base = removed.__class__.objects.get(name="昆仑蔬菜基地")
    services.base_update(actor=people["xn_county"], base=base, name=base.name, base_type="GF", level="district",
                         operator=gx_entity, county=regions["450102"], products="蔬菜", area_mu="800",
                         output_tons="1500", location="昆仑镇")
    on_day(date(2025, 6, 10))
    again = c.as_("xn_county").step(xn.pk, "submit").json()
    assert again["status"] == "submitted" and again["output_tons"] == "9500.00"

    reviewed = c.as_("nn_city").step(xn.pk, "review", "数据已核实").json()
    assert reviewed["status"] == "reviewed" and reviewed["reviewed_at"]
    assert c.as_("xn_county").step(xn.pk, "submit").status_code == 409
    assert c.as_("nn_city").step(xn.pk, "return", "再改").status_code == 409

    # The county sees its own submission with its whole history, not its neighbours'
    detail = c.as_("xn_county").api.get(f"/api/v1/bases/collection/cycles/{cycle_id}/").json()
    assert [s["county"] for s in detail["submissions"]] == ["450102"]
    history = [(e["action"], e["to_status"], e["comment"], e["actor"]) for e in detail["submissions"][0]["events"]]
    assert history == [
        ("submit", "submitted", "", "xn_county"),
        ("return", "returned", "昆仑蔬菜基地产量与上年统计不符，请核实", "nn_city"),
        ("resubmit", "submitted", "", "xn_county"),
        ("review", "reviewed", "数据已核实", "nn_city"),
    ]
    verbs = list(AuditEvent.objects.filter(target_type="bases.countysubmission", target_id=str(xn.pk))
                 .order_by("seq").values_list("verb", flat=True))
    assert verbs == ["bases.submission_submit", "bases.submission_return", "bases.submission_resubmit",
                     "bases.submission_review"]
    # The city sees its two counties, the province all three
    city = c.as_("nn_city").api.get(f"/api/v1/bases/collection/cycles/{cycle_id}/").json()
    assert [s["county"] for s in city["submissions"]] == ["450102", "450103"]
    assert c.as_("sh_province").api.get(f"/api/v1/bases/collection/cycles/{cycle_id}/").status_code == 404


def test_in_a_municipality_without_city_agencies_the_province_reviews(c, people, sh_entity, regions, on_day):
    on_day(date(2025, 3, 3))
    cycle_id = c.as_("sh_province").open("310000", 2025).json()["id"]
    hp, xh = submission(cycle_id, "310101"), submission(cycle_id, "310104")
    make_base(people["hp_county"], sh_entity, regions["310101"], "黄浦区蔬菜基地", "321.5")

    assert c.as_("hp_county").step(hp.pk, "submit").json()["output_tons"] == "321.50"
    assert c.as_("hp_county").step(hp.pk, "review").status_code == 403  # not its own reviewer
    assert c.as_("sh_province").step(hp.pk, "review").json()["status"] == "reviewed"

    # 徐汇 has no agency account: the province enters it and, with no level between, reviews it
    assert c.as_("hp_county").step(xh.pk, "submit").status_code == 404
    assert c.as_("sh_province").step(xh.pk, "submit").json()["base_count"] == 0
    assert c.as_("sh_province").step(xh.pk, "review").json()["status"] == "reviewed"


def test_a_county_without_its_own_agency_is_submitted_by_its_city_and_reviewed_by_the_province(
        people, regions, on_day):
    on_day(date(2025, 3, 3))
    qx_user = people["qx_county"]
    assert collection.parties(regions["450103"]) == collection.Parties(submitter="450103", reviewer="450100")
    # 青秀区 has no bureau account any more: its city enters for it, and the review goes up a level
    agency, qx_user.agency = qx_user.agency, None
    qx_user.save()
    agency.delete()
    cycle = collection.cycle_open(actor=people["gx_province"], province="450000", year=2025)
    qx = submission(cycle.pk, "450103")
    with pytest.raises(NotFound):  # a user without an agency reaches no region
        collection.submission_submit(actor=qx_user, submission=qx)
    collection.submission_submit(actor=people["nn_city"], submission=qx)
    with pytest.raises(PermissionDenied):
        collection.submission_review(actor=people["nn_city"], submission=qx)  # not its own entry
    collection.submission_review(actor=people["gx_province"], submission=qx)
    qx.refresh_from_db()
    assert qx.status == SubmissionStatus.REVIEWED


def test_only_the_province_or_national_staff_open_a_cycle(people, on_day):
    on_day(date(2025, 3, 3))
    with pytest.raises(PermissionDenied):
        collection.cycle_open(actor=people["nn_city"], province="450000", year=2025)
    with pytest.raises(PermissionDenied):
        collection.cycle_open(actor=people["gx_province"], province="310000", year=2025)
    with pytest.raises(ValidationFailed) as bad:
        collection.cycle_open(actor=people["gx_province"], province="450100", year=1999)
    assert "province" in bad.value.fields
    with pytest.raises(ValidationFailed) as bad:
        collection.cycle_open(actor=people["gx_province"], province="450000", year=2031)
    assert "year" in bad.value.fields
    cycle = collection.cycle_open(actor=people["national"], province="310000", year=2025, due_on=date(2025, 11, 30))
    assert sorted(cycle.submissions.values_list("county_id", flat=True)) == ["310101", "310104"]
    with pytest.raises(Conflict):
        collection.cycle_open(actor=people["sh_province"], province="310000", year=2025)
    # The counties are told the cycle is open
    assert Notification.objects.filter(recipient=people["hp_county"], title__contains="2025").exists()


def test_services_refuse_out_of_scope_and_wrong_states(people, regions, on_day):
    on_day(date(2025, 3, 3))
    cycle = collection.cycle_open(actor=people["gx_province"], province="450000", year=2025)
    ll = submission(cycle.pk, "451031")
    with pytest.raises(NotFound):
        collection.submission_submit(actor=people["xn_county"], submission=ll)
    with pytest.raises(PermissionDenied):
        collection.submission_submit(actor=people["gx_applicant"], submission=ll)
    with pytest.raises(TransitionNotAllowed):
        collection.submission_review(actor=people["bs_city"], submission=ll)
    collection.submission_submit(actor=people["ll_county"], submission=ll)
    with pytest.raises(NotFound):
        collection.submission_review(actor=people["nn_city"], submission=ll)
    collection.submission_review(actor=people["bs_city"], submission=ll)
    ll.refresh_from_db()
    assert ll.status == SubmissionStatus.REVIEWED and ll.output_tons == Decimal("0")


def test_the_pages_let_each_side_take_its_step(people, gx_entity, regions, on_day):
    on_day(date(2025, 3, 3))
    province = Client()
    province.force_login(people["gx_province"])
    assert "开启年度信息采集" in province.get("/bases/collection/").content.decode()
    opened = province.post("/bases/collection/open/", {"province": "450000", "year": "2025", "due_on": "2025-12-31"})
    assert opened.status_code == 302
    cycle_url = opened["Location"]
    assert province.post("/bases/collection/open/", {"province": "450000", "year": "2025"}).status_code == 409
    xn = CountySubmission.objects.get(county_id="450102")
    make_base(people["xn_county"], gx_entity, regions["450102"], "五塘沙田柚基地", "8000", "5200")

    county = Client()
    county.force_login(people["xn_county"])
    assert "开启年度信息采集" not in county.get("/bases/collection/").content.decode()
    page = county.get(cycle_url).content.decode()
    assert "兴宁区" in page and "青秀区" not in page
    assert "将报送：1 个基地" in page and "提交复核" in page
    assert county.post(f"/bases/collection/submissions/{xn.pk}/submit/").status_code == 302

    city = Client()
    city.force_login(people["nn_city"])
    page = city.get(cycle_url).content.decode()
    assert "退回修改" in page and "已提交" in page
    refused = city.post(f"/bases/collection/submissions/{xn.pk}/return/", {"comment": ""})
    assert refused.status_code == 400 and "退回时须写明意见" in refused.content.decode()
    assert city.post(f"/bases/collection/submissions/{xn.pk}/return/", {"comment": "请补充品种"}).status_code == 302
    page = county.get(cycle_url).content.decode()
    assert "已退回" in page and "请补充品种" in page and "重新提交" in page
    # The province is not the reviewer of a Nanning county, and another city does not see it
    assert province.post(f"/bases/collection/submissions/{xn.pk}/review/").status_code == 403
    other = Client()
    other.force_login(people["bs_city"])
    assert other.post(f"/bases/collection/submissions/{xn.pk}/review/").status_code == 404
    assert county.post(f"/bases/collection/submissions/{xn.pk}/approve/").status_code == 404
