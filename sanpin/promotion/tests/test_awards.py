"""Award lists: drafting, publishing only with certificates valid on the day, the public pages."""

import datetime

import pytest

from sanpin.certificates.models import Certificate
from sanpin.certificates.services import certificate_set_status
from sanpin.core.errors import NotFound, TransitionNotAllowed, ValidationFailed

from .. import awards
from ..choices import AwardListStatus
from .factories import certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(users, agencies, today):
    return awards.award_list_create(actor=users["sh_province"], organiser=agencies["sh"],
                                    title="2026 年上海地产优质农产品品鉴评优获奖名单", year=2026,
                                    source="沪农委〔演示〕1号")


def test_publishing_refuses_a_certificate_no_longer_valid(users, sh_entity, draft):
    good, bad = certificate(sh_entity), certificate(sh_entity, product_name="复合肥")
    awards.award_entry_add(actor=users["sh_province"], award_list=draft, certificate=good, award="金奖", rank=1)
    awards.award_entry_add(actor=users["sh_province"], award_list=draft, certificate=bad, award="银奖", rank=2)
    certificate_set_status(actor=users["national"], certificate=bad, status="revoked", reason="抽检不合格")
    with pytest.raises(ValidationFailed) as refused:
        awards.award_list_publish(actor=users["sh_province"], award_list=draft)
    assert refused.value.fields["entries"] == [f"证书 {bad.number} 状态为“已取消”"]
    draft.refresh_from_db()
    assert (draft.status, draft.published_on) == (AwardListStatus.DRAFT, None)
    bad_entry = draft.entries.get(certificate=bad)
    awards.award_entry_remove(actor=users["sh_province"], entry=bad_entry)
    published = awards.award_list_publish(actor=users["sh_province"], award_list=draft)
    assert (published.status, published.published_on) == (AwardListStatus.PUBLISHED, datetime.date(2026, 5, 11))
    with pytest.raises(TransitionNotAllowed):
        awards.award_entry_add(actor=users["sh_province"], award_list=draft, certificate=good, award="特别奖")


def test_an_entry_needs_a_valid_certificate_of_the_organisers_region(users, gx_entity, sh_entity, draft):
    with pytest.raises(ValidationFailed) as refused:
        awards.award_entry_add(actor=users["sh_province"], award_list=draft, certificate=certificate(gx_entity),
                               award="金奖")
    assert "辖区" in refused.value.fields["certificate"][0]
    expired = certificate(sh_entity, approved_on=datetime.date(2023, 1, 5))
    with pytest.raises(ValidationFailed):
        awards.award_entry_add(actor=users["sh_province"], award_list=draft, certificate=expired, award="金奖")
    with pytest.raises(ValidationFailed):
        awards.award_list_publish(actor=users["sh_province"], award_list=draft)  # no entries
    assert not draft.entries.exists()


def test_other_regions_staff_cannot_touch_the_list(users, sh_entity, draft):
    with pytest.raises(NotFound):
        awards.award_entry_add(actor=users["gx_province"], award_list=draft, certificate=certificate(sh_entity),
                               award="金奖")


def test_a_published_list_is_public_and_links_each_certificate(client, api, users, sh_entity, draft):
    own = certificate(sh_entity)
    awards.award_entry_add(actor=users["sh_province"], award_list=draft, certificate=own, award="金奖", rank=1)
    assert client.get(f"/promotion/awards/{draft.pk}/").status_code == 404
    assert api.get(f"/api/v1/public/award-lists/{draft.pk}/").status_code == 404
    awards.award_list_publish(actor=users["sh_province"], award_list=draft)
    page = client.get(f"/promotion/awards/{draft.pk}/").content.decode()
    assert f'href="/v/{own.number}/"' in page
    body = api.get(f"/api/v1/public/award-lists/{draft.pk}/").json()
    assert body["entries"][0]["certificate"] == own.number
    assert body["entries"][0]["verify_url"].endswith(f"/v/{own.number}/")
    assert api.get("/api/v1/public/award-lists/").json()["count"] == 1
    assert Certificate.objects.count() == 1


def test_staff_publish_through_the_pages(client, users, sh_entity, draft):
    own = certificate(sh_entity)
    client.force_login(users["sh_province"])
    response = client.post(f"/promotion/manage/awards/{draft.pk}/entries/",
                           {"number": "NO-SUCH", "award": "金奖"})
    assert response.status_code == 400
    assert "未找到证书" in response.content.decode()
    response = client.post(f"/promotion/manage/awards/{draft.pk}/entries/", {"number": own.number, "award": "金奖"})
    assert response.status_code == 302
    response = client.post(f"/promotion/manage/awards/{draft.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == AwardListStatus.PUBLISHED


def test_publishing_records_an_award_in_each_holders_credit_file_once(users, sh_entity, draft):
    """品牌+信用: an award on a published list is a positive credit event of the holder."""
    from sanpin.credit.choices import CreditKind
    from sanpin.credit.models import CreditEvent

    awarded = certificate(sh_entity)
    awards.award_entry_add(actor=users["sh_province"], award_list=draft, certificate=awarded, award="金奖", rank=1)
    assert not CreditEvent.objects.filter(kind=CreditKind.AWARD).exists()  # a draft is not an award yet
    published = awards.award_list_publish(actor=users["sh_province"], award_list=draft)
    event = CreditEvent.objects.get(kind=CreditKind.AWARD)
    assert (event.entity, event.occurred_on) == (sh_entity, published.published_on)
    assert "金奖" in event.summary and awarded.number in event.summary
    published.save(update_fields=["updated_at"])  # saving the list again adds nothing
    assert CreditEvent.objects.filter(kind=CreditKind.AWARD).count() == 1
