"""The review workflow pages: the applicant's wizard, materials and submission; staff tasks and
actions through the page; only the allowed actions shown; permission (403) and scope (404)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanpin.certification.models import Application, Attachment, Event

from .conftest import PDF

pytestmark = pytest.mark.django_db

ALL_CONDITIONS = {
    "applicant_conditions": ["legal_person_licensed", "civil_liability", "stable_base", "environment_technique",
                             "quality_system_one_year", "technical_staff"],
    "product_conditions": ["inspected_registered", "meets_standards", "beneficial", "environmentally_sound",
                           "non_gmo"],
}
REQUIRED = ("application_form", "business_licence", "admin_licence")


def wizard_post(rows, **extra):
    """The wizard's POST body: scheme, kind, product rows and the checklists."""
    body = {"scheme": "green_inputs", "kind": "initial", "products-TOTAL_FORMS": str(len(rows)),
            "products-INITIAL_FORMS": "0", "products-MIN_NUM_FORMS": "1", "products-MAX_NUM_FORMS": "50",
            **ALL_CONDITIONS, **extra}
    for i, row in enumerate(rows):
        for key, value in row.items():
            body[f"products-{i}-{key}"] = value
    return body


GOOD_ROW = {"name": "绿源牌生物有机肥", "category": "01", "trademark": "绿源", "approved_output": "5000",
            "output_unit": "吨", "registration_no": "农肥（2024）准字 12345号"}


def upload(client, app, kind, name="材料.pdf", content=PDF):
    return client.post(reverse("certification:attachment_add", args=[app.pk]),
                       {"kind": kind, "file": SimpleUploadedFile(name, content, "application/pdf")})


def act(client, app, action, **fields):
    return client.post(reverse("certification:act", args=[app.pk]), {"action": action, **fields})


@pytest.fixture
def draft(client, world, gx_entity, on_day):
    """Given a draft created through the wizard by the Guangxi applicant on 2025-09-30."""
    on_day(date(2025, 9, 30))
    client.force_login(world["gx_applicant"])
    response = client.post(reverse("certification:create"), wizard_post([GOOD_ROW]))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(entity=gx_entity)


@pytest.fixture
def submitted(client, draft):
    for kind in REQUIRED:
        assert upload(client, draft, kind).status_code == 302
    assert client.post(reverse("certification:submit", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    return draft


def test_the_wizard_shows_every_error_in_chinese_keeps_the_input_and_writes_nothing(client, world, gx_entity):
    # Given the applicant on the wizard
    client.force_login(world["gx_applicant"])
    page = client.get(reverse("certification:create"))
    assert page.status_code == 200 and "具有法人资格" in page.content.decode() and "01 肥料" in page.content.decode()

    # When a product row has no name, a bad category and a negative output
    bad = {**GOOD_ROW, "name": "", "approved_output": "-3", "trademark": "绿源牌"}
    response = client.post(reverse("certification:create"), wizard_post([bad]))

    # Then each field says what is wrong, the input is kept, and no application exists
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写产品名称" in html and "申请产量应为大于 0 的数字" in html
    assert 'value="绿源牌"' in html and 'value="-3"' in html
    assert not Application.objects.exists()


def test_the_wizard_requires_at_least_one_product(client, world):
    client.force_login(world["gx_applicant"])
    response = client.post(reverse("certification:create"), wizard_post([{"output_unit": "吨"}]))
    assert response.status_code == 400 and "请至少填写一个申请产品" in response.content.decode()
    assert not Application.objects.exists()


def test_only_applicants_open_the_wizard(client, world):
    client.force_login(world["gx_province"])
    assert client.get(reverse("certification:create")).status_code == 403


def test_an_applicant_drafts_uploads_and_submits(client, draft):
    # Given the new draft: its page lists what still stops it from being submitted
    page = client.get(reverse("certification:detail", args=[draft.pk])).content.decode()
    assert "缺少材料" in page and "绿源牌生物有机肥" in page
    assert draft.data["applicant_conditions"]["stable_base"] is True

    # When a file that is not a PDF is uploaded as a PDF, it is refused with a reason
    refused = upload(client, draft, "application_form", content=b"not a pdf")
    assert refused.status_code == 400 and "只接受" in refused.content.decode()
    assert not Attachment.objects.exists()

    # And submitting early lists what is missing and changes nothing
    early = client.post(reverse("certification:submit", args=[draft.pk]))
    assert early.status_code == 400 and "缺少材料" in early.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.number == ""

    # When the required materials are uploaded, the warnings are gone and the file downloads
    for kind in REQUIRED:
        assert upload(client, draft, kind).status_code == 302
    page = client.get(reverse("certification:detail", args=[draft.pk])).content.decode()
    assert "缺少材料" not in page and "可以提交" in page
    attachment = Attachment.objects.filter(application=draft).first()
    download = client.get(reverse("certification:attachment", args=[draft.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")

    # Then submitting gives the application its number and the province's 10-working-day limit
    response = client.post(reverse("certification:submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "preliminary_review" and draft.number.startswith("SZ2025")
    page = client.get(reverse("certification:detail", args=[draft.pk])).content.decode()
    assert "省级初审" in page and "2025-10-21" in page


def test_staff_see_the_task_and_pass_preliminary_review_through_the_page(client, world, submitted):
    # Given the submitted application in the Guangxi provincial reviewer's tasks
    client.force_login(world["gx_province"])
    tasks = client.get(reverse("certification:tasks")).content.decode()
    assert submitted.number in tasks and "省级初审" in tasks and "2025-10-21" in tasks

    # When the reviewer passes it without an opinion, the page asks for one and nothing moves
    missing = act(client, submitted, "pass")
    assert missing.status_code == 400 and "请填写办理意见" in missing.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == "preliminary_review"

    # When it passes with an opinion
    response = act(client, submitted, "pass", **{"a-pass-opinion": "材料齐全，初审合格"})

    # Then the application moves to the site inspection, and the history shows the opinion
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "site_inspection"
    page = client.get(response["Location"]).content.decode()
    assert "材料齐全，初审合格" in page and "初审通过，组织现场检查" in page
    assert "指派绿色生资管理员" in page  # the next action, with the eligible inspector to choose
    assert Event.objects.filter(application=submitted, action="pass").count() == 1


def test_the_page_shows_only_the_actions_allowed_now(client, world, submitted):
    # The provincial reviewer sees the preliminary-review actions, not later ones
    client.force_login(world["gx_province"])
    page = client.get(reverse("certification:detail", args=[submitted.pk])).content.decode()
    assert 'data-action="pass"' in page and 'data-action="request_supplement"' in page
    assert 'data-action="approve"' not in page and 'data-action="withdraw"' not in page

    # The applicant sees only what it may do: withdraw; no review actions, no upload form
    client.force_login(world["gx_applicant"])
    page = client.get(reverse("certification:detail", args=[submitted.pk])).content.decode()
    assert 'data-action="withdraw"' in page and 'data-action="pass"' not in page
    assert 'id="upload-form"' not in page


def test_a_wrong_role_is_refused_and_a_wrong_state_conflicts(client, world, submitted):
    # The applicant may not pass its own review
    client.force_login(world["gx_applicant"])
    assert act(client, submitted, "pass", **{"a-pass-opinion": "x"}).status_code == 403
    # The national reviewer may not approve an application still at preliminary review
    client.force_login(world["national"])
    response = act(client, submitted, "approve", **{"a-approve-opinion": "x"})
    assert response.status_code == 409 and "当前状态不允许此操作" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == "preliminary_review"


def test_another_region_gets_404(client, world, submitted):
    client.force_login(world["sh_province"])
    assert client.get(reverse("certification:detail", args=[submitted.pk])).status_code == 404
    attachment = Attachment.objects.filter(application=submitted).first()
    assert client.get(reverse("certification:attachment", args=[submitted.pk, attachment.pk])).status_code == 404
    assert act(client, submitted, "pass", **{"a-pass-opinion": "x"}).status_code == 404
    client.force_login(world["sh_applicant"])
    assert client.get(reverse("certification:detail", args=[submitted.pk])).status_code == 404
    assert submitted.number not in client.get(reverse("certification:list")).content.decode()


def test_the_list_filters_and_searches_within_scope(client, world, submitted, gx_entity):
    client.force_login(world["gx_province"])
    url = reverse("certification:list")
    assert submitted.number in client.get(url).content.decode()
    assert submitted.number in client.get(url, {"q": gx_entity.name[:4]}).content.decode()
    assert submitted.number in client.get(url, {"state": "preliminary_review", "kind": "initial"}).content.decode()
    assert submitted.number not in client.get(url, {"state": "site_inspection"}).content.decode()
    assert submitted.number not in client.get(url, {"q": "SZ1999"}).content.decode()


def test_tasks_mark_a_step_near_its_deadline(client, world, submitted, on_day):
    # Two working days before the 2025-10-21 deadline the row is yellow; after it, red
    client.force_login(world["gx_province"])
    on_day(date(2025, 10, 17))
    assert 'class="deadline-warn"' in client.get(reverse("certification:tasks")).content.decode()
    on_day(date(2025, 10, 22))
    assert 'class="deadline-late"' in client.get(reverse("certification:tasks")).content.decode()


def test_a_change_starts_from_a_held_certificate(client, world, gx_entity, sh_entity, on_day):
    from sanpin.certificates.tests.factories import issue

    # Given a licence the Guangxi applicant holds
    on_day(date(2025, 9, 30))
    certificate = issue(gx_entity)
    client.force_login(world["gx_applicant"])
    url = reverse("certification:create")

    # The wizard shows the certificate and offers renewal, change and stop, not a first application
    page = client.get(url, {"kind": "change", "certificate": certificate.number}).content.decode()
    assert certificate.number in page and "生物有机肥" in page and "变更后的核准产量" in page
    assert 'value="initial"' not in page

    # When the new approved output is entered, the change is saved as a draft of that certificate
    body = wizard_post([], kind="change", certificate=certificate.number, change_approved_output="6000")
    response = client.post(url, body)
    assert response.status_code == 302
    application = Application.objects.get(certificate=certificate)
    assert application.kind == "change" and application.data["changes"] == {"approved_output": "6000"}

    # Another holder's certificate is not found
    client.force_login(world["sh_applicant"])
    assert client.get(url, {"kind": "change", "certificate": certificate.number}).status_code == 404


def test_a_deadline_in_a_year_without_a_holiday_notice_is_marked_provisional(client, world, gx_entity, on_day):
    # Given an application submitted on 2026-12-24: its 10 working days run into 2027
    on_day(date(2026, 12, 24))
    client.force_login(world["gx_applicant"])
    client.post(reverse("certification:create"), wizard_post([GOOD_ROW]))
    application = Application.objects.get(entity=gx_entity)
    for kind in REQUIRED:
        upload(client, application, kind)
    assert client.post(reverse("certification:submit", args=[application.pk])).status_code == 302

    # Then the reviewer's task and the application page say the deadline is provisional, and why
    client.force_login(world["gx_province"])
    tasks = client.get(reverse("certification:tasks")).content.decode()
    assert "暂定" in tasks and "2027" in tasks
    page = client.get(reverse("certification:detail", args=[application.pk])).content.decode()
    assert "暂定" in page


def test_every_action_of_the_scheme_has_a_form_asking_exactly_for_its_inputs(world, submitted):
    from sanpin.certification.forms import ActionForm
    from sanpin.certification.schemes import scheme_config

    fields_for = {"opinion": {"opinion"}, "reason": {"reason"}, "days": {"days"}, "inspector": {"inspector"},
                  "lab_tests": {"lab", "lab_tests"}, "experts": {"specialty", "size"}, "favourable": {"favourable"}}
    for spec in scheme_config("green_inputs").steps.values():
        for action in spec.actions:
            form = ActionForm(action=action, application=submitted)
            expected = set().union(*(fields_for[r] for r in action.requires)) if action.requires else set()
            assert set(form.fields) == expected, action.code
            assert form.as_div() or not expected  # renders, with a field per input
    # The inspector choice offers the province's qualified inspector only
    assign = scheme_config("green_inputs").step("site_inspection").action("assign_inspector")
    choices = list(ActionForm(action=assign, application=submitted).fields["inspector"].queryset)
    assert choices == [world["inspector"]]
