"""Pages through HTTP: public events, the entity's sign-up and participations, staff management
and the registry, region scope (another region's records answer 404)."""

import datetime

import pytest

from .. import registry
from ..models import Outlet, Participation, PromotionSpecialist
from .factories import certificate, event, outlet, sign_up, specialist

pytestmark = pytest.mark.django_db


def test_public_events_show_upcoming_and_past_but_no_draft(client, users, agencies, today):
    upcoming = event(users["sh_province"], agencies["sh"], title="宣传月启动仪式")
    draft = event(users["sh_province"], agencies["sh"], open_=False, title="尚未发布的活动")
    page = client.get("/promotion/events/").content.decode()
    assert upcoming.title in page
    assert draft.title not in page
    assert client.get(f"/promotion/events/{draft.pk}/").status_code == 404
    assert client.get(f"/promotion/events/{upcoming.pk}/").status_code == 200


def test_the_entity_signs_up_through_the_page_and_sees_its_flags(client, users, sh_entity, agencies, today):
    from sanpin.certificates.services import certificate_set_status

    fair = event(users["sh_province"], agencies["sh"])
    own = certificate(sh_entity)
    client.force_login(users["sh_applicant"])
    page = client.get(f"/promotion/events/{fair.pk}/signup/")
    assert own.number in page.content.decode()
    refused = client.post(f"/promotion/events/{fair.pk}/signup/", {"products": "有机肥"})
    assert refused.status_code == 400
    assert "至少一个" in refused.content.decode()
    assert not Participation.objects.exists()
    done = client.post(f"/promotion/events/{fair.pk}/signup/", {"certificates": [own.pk], "products": "有机肥"})
    assert done.status_code == 302
    certificate_set_status(actor=users["national"], certificate=own, status="suspended", reason="抽检不合格")
    mine = client.get("/promotion/mine/").content.decode()
    assert "该标志不得在本次活动中展示" in mine


def test_staff_review_participants_and_record_results(client, users, sh_entity, agencies, today, on_day):
    fair = event(users["sh_province"], agencies["sh"])
    participation = sign_up(users["sh_applicant"], fair, [certificate(sh_entity)])
    client.force_login(users["sh_province"])
    page = client.get(f"/promotion/manage/events/{fair.pk}/")
    assert sh_entity.name in page.content.decode()
    client.post(f"/promotion/manage/participations/{participation.pk}/decide/", {"action": "approve"})
    participation.refresh_from_db()
    assert participation.status == "approved"
    client.post(f"/promotion/manage/events/{fair.pk}/transition/", {"action": "close"})
    on_day(fair.starts_on)
    response = client.post(f"/promotion/manage/events/{fair.pk}/results/",
                           {"visitors": "", "deals_count": "3", "deals_amount": "10"})
    assert response.status_code == 400
    response = client.post(f"/promotion/manage/events/{fair.pk}/results/",
                           {"visitors": "12000", "deals_count": "36", "deals_amount": "812.5", "note": "签约顺利"})
    assert response.status_code == 302
    fair.refresh_from_db()
    assert (fair.status, fair.visitors, str(fair.deals_amount)) == ("held", 12000, "812.50")
    public = client.get(f"/promotion/events/{fair.pk}/").content.decode()
    assert "812.50" in public and sh_entity.name in public


def test_an_illegal_transition_through_the_page_is_409(client, users, agencies, today):
    fair = event(users["sh_province"], agencies["sh"], open_=False)
    client.force_login(users["sh_province"])
    response = client.post(f"/promotion/manage/events/{fair.pk}/transition/", {"action": "close"})
    assert response.status_code == 409


def test_guangxi_staff_cannot_manage_a_shanghai_districts_outlets(client, users, regions, today):
    shanghai_outlet = outlet(users["sh_province"], regions["310101"])
    person = specialist(users["sh_province"], regions["310101"])
    client.force_login(users["gx_province"])
    assert client.get(f"/promotion/outlets/{shanghai_outlet.pk}/").status_code == 404
    response = client.post(f"/promotion/outlets/{shanghai_outlet.pk}/close/", {"closed_on": "2026-05-01"})
    assert response.status_code == 404
    assert client.get(f"/promotion/specialists/{person.pk}/").status_code == 404
    assert client.post(f"/promotion/specialists/{person.pk}/leave/", {"left_on": "2026-05-01"}).status_code == 404
    listing = client.get("/promotion/outlets/").content.decode()
    assert shanghai_outlet.host_name not in listing
    response = client.post("/promotion/outlets/new/", {
        "kind": "market_zone", "host_name": "越界市场", "district": "310101", "address": "某路",
        "opened_on": "2026-01-01"})
    assert response.status_code == 400
    assert Outlet.objects.count() == 1
    shanghai_outlet.refresh_from_db()
    assert shanghai_outlet.closed_on is None


def test_a_district_office_registers_in_its_own_district_only(users, regions, agencies, today):
    from sanpin.accounts.choices import AgencyLevel, Role
    from sanpin.accounts.tests.factories import AgencyFactory, UserFactory
    from sanpin.core.errors import ValidationFailed

    huangpu = AgencyFactory(name="黄浦区农业农村委", level=AgencyLevel.COUNTY, region=regions["310101"])
    staff = UserFactory(username="hp", roles=[Role.LOCAL_STAFF], agency=huangpu)
    own = outlet(staff, regions["310101"])
    with pytest.raises(ValidationFailed):
        outlet(staff, regions["310104"])
    # The province above manages it too.
    registry.outlet_close(actor=users["sh_province"], outlet=own, closed_on=datetime.date(2026, 5, 1))


def test_staff_register_and_train_through_the_pages(client, users, regions, today):
    client.force_login(users["sh_province"])
    response = client.post("/promotion/specialists/new/", {"name": "陈静", "employer": "浦江源", "district": "310101",
                                                            "registered_on": "2026-05-01"})
    assert response.status_code == 302
    person = PromotionSpecialist.objects.get(name="陈静")
    bad = client.post(f"/promotion/specialists/{person.pk}/trainings/", {
        "course": "推广实务", "trained_on": "2026-05-02", "hours": "0", "organiser": "市中心"})
    assert bad.status_code == 400
    good = client.post(f"/promotion/specialists/{person.pk}/trainings/", {
        "course": "推广实务", "trained_on": "2026-05-02", "hours": "8", "organiser": "市中心"})
    assert good.status_code == 302
    assert person.trainings.count() == 1
