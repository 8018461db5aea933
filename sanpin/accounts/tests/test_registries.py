"""Registries the review workflow draws on: eligible inspectors, the expert draw, designated labs."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanpin.accounts.choices import DesignationScheme, ExpertSpecialty, LabTest, QualificationKind, Role
from sanpin.accounts.models import ExpertDraw, InspectorQualification, system_user
from sanpin.accounts.registries import (
    designated_labs,
    eligible_inspectors,
    expert_draw_panel,
    expert_draw_replay,
    expert_panel_draw,
    expert_profile_save,
    inspector_check_assignable,
    lab_check_assignable,
    lab_designation_create,
    lab_designation_resume,
    lab_designation_suspend,
)
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.core.audit import verify_chain
from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)
GI_ADMIN = QualificationKind.GREEN_INPUTS_ADMIN


def qualify(user, province, *, kind=GI_ADMIN, valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2027, 12, 31), number=None):
    return InspectorQualification.objects.create(
        user=user, kind=kind, province=province, valid_from=valid_from, valid_until=valid_until,
        number=number or f"Q-{user.pk}-{kind}-{province.pk}-{valid_until}",
    )


# --- Inspectors ------------------------------------------------------------------------------------


def test_only_qualified_unexpired_inspectors_of_the_province_are_eligible(users, regions):
    # Given inspectors with various qualifications
    good = users["inspector"]
    qualify(good, regions["450000"])
    expired = UserFactory(username="expired", roles=[Role.INSPECTOR])
    qualify(expired, regions["450000"], valid_until=datetime.date(2026, 5, 31))
    shanghai = UserFactory(username="sh_insp", roles=[Role.INSPECTOR])
    qualify(shanghai, regions["310000"])
    wrong_kind = UserFactory(username="food_insp", roles=[Role.INSPECTOR])
    qualify(wrong_kind, regions["450000"], kind=QualificationKind.GREEN_FOOD_INSPECTOR)
    no_role = UserFactory(username="former", roles=[])
    qualify(no_role, regions["450000"])
    inactive = UserFactory(username="left", roles=[Role.INSPECTOR], is_active=False)
    qualify(inactive, regions["450000"])

    # When the workflow asks who may inspect a Nanning applicant on the day
    found = list(eligible_inspectors(province_code="450102", kinds=[GI_ADMIN], on_date=DAY))

    # Then only the qualified Guangxi inspector is offered
    assert found == [good]
    assert list(eligible_inspectors(province_code="310000", kinds=[GI_ADMIN], on_date=DAY)) == [shanghai]


def test_assignment_check_names_the_reason(users, regions):
    inspector = users["inspector"]
    # No qualification at all
    with pytest.raises(ValidationFailed, match="没有绿色生资管理员资质") as caught:
        inspector_check_assignable(user=inspector, province_code="450000", kinds=[GI_ADMIN], on_date=DAY)
    assert "inspector" in caught.value.fields

    # Registered in another province
    qualify(inspector, regions["310000"])
    with pytest.raises(ValidationFailed, match="注册在上海市，不能在广西壮族自治区执行检查"):
        inspector_check_assignable(user=inspector, province_code="450102", kinds=[GI_ADMIN], on_date=DAY)

    # Expired before the day
    qualify(inspector, regions["450000"], valid_until=datetime.date(2026, 3, 31), number="LZGL-OLD")
    with pytest.raises(ValidationFailed, match=r"LZGL-OLD.*已于 2026-03-31 过期"):
        inspector_check_assignable(user=inspector, province_code="450102", kinds=[GI_ADMIN], on_date=DAY)

    # Not yet in force
    with pytest.raises(ValidationFailed, match=r"LZGL-OLD.*自 2025-01-01 起才生效"):
        inspector_check_assignable(user=inspector, province_code="450102", kinds=[GI_ADMIN],
                                   on_date=datetime.date(2024, 12, 31))

    # Not an inspector
    with pytest.raises(ValidationFailed, match="不是在岗的检查员"):
        inspector_check_assignable(user=users["expert"], province_code="450000", kinds=[GI_ADMIN], on_date=DAY)

    # A renewed qualification makes the inspector assignable again
    qualify(inspector, regions["450000"], valid_from=datetime.date(2026, 4, 1), number="LZGL-NEW")
    inspector_check_assignable(user=inspector, province_code="450102", kinds=[GI_ADMIN], on_date=DAY)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=-800, max_value=800))
def test_eligibility_and_assignment_check_agree_on_every_day(users, regions, offset):
    inspector = users["inspector"]
    if not inspector.qualifications.exists():
        qualify(inspector, regions["450000"], valid_from=DAY, valid_until=datetime.date(2027, 5, 31))
    day = DAY + datetime.timedelta(days=offset)
    eligible = inspector in eligible_inspectors(province_code="450000", kinds=[GI_ADMIN], on_date=day)
    try:
        inspector_check_assignable(user=inspector, province_code="450000", kinds=[GI_ADMIN], on_date=day)
        assignable = True
    except ValidationFailed:
        assignable = False
    assert eligible == assignable == (DAY <= day <= datetime.date(2027, 5, 31))


# --- Expert pool ---------------------------------------------------------------------------------------


@pytest.fixture
def pool(users, regions, gx_entity):
    """Six fertiliser experts: one employed by the applicant, one living in its county."""
    admin = users["admin"]
    experts = []
    homes = ["450103", "450102", "451031", "310101", "310104", "450103"]
    for n, home in enumerate(homes):
        user = UserFactory(username=f"expert{n}", roles=[Role.EXPERT])
        experts.append(expert_profile_save(
            actor=admin, user=user, specialties=[ExpertSpecialty.FERTILIZER, ExpertSpecialty.PESTICIDE],
            title="研究员", organisation=f"农业科学院{n}", region=regions[home],
            entity=gx_entity if n == 0 else None,
        ))
    return experts


def test_draw_excludes_conflicts_stores_the_draw_and_audits_it(users, pool, gx_entity):
    # When a panel of three is drawn for a Xingning (450102) applicant
    draw = expert_panel_draw(
        actor=users["national"], subject_label="LSSZ 申请 2026-0001", specialty=ExpertSpecialty.FERTILIZER,
        size=3, exclude_entity_ids=[gx_entity.pk], exclude_region_codes=["450102"],
    )
    # Then the employee of the applicant and the expert from its county were not candidates
    conflicted = {pool[0].user_id, pool[1].user_id}
    assert set(draw.candidate_ids) == {p.user_id for p in pool} - conflicted
    assert len(set(draw.picked_ids)) == 3 and set(draw.picked_ids) <= set(draw.candidate_ids)
    assert [u.pk for u in expert_draw_panel(draw)] == draw.picked_ids
    # And the draw is stored and audited with its seed
    event = AuditEvent.objects.get(verb="accounts.expert_panel_draw")
    assert event.target_id == str(draw.pk)
    assert event.new["seed"] == str(draw.seed) and event.new["picked_ids"] == draw.picked_ids
    assert verify_chain().ok


def test_same_seed_and_candidates_reproduce_the_picks(users, pool):
    first = expert_panel_draw(actor=users["national"], subject_label="甲", specialty="fertilizer", size=3,
                              seed=20260601)
    second = expert_panel_draw(actor=users["national"], subject_label="甲", specialty="fertilizer", size=3,
                               seed=20260601)
    assert first.picked_ids == second.picked_ids
    assert expert_draw_replay(first) == first.picked_ids
    # A stored draw whose picks were altered no longer replays to the same panel
    first.picked_ids = list(reversed(first.picked_ids))
    assert expert_draw_replay(first) != first.picked_ids


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**63 - 1), size=st.integers(min_value=1, max_value=6))
def test_every_seed_picks_distinct_candidates_reproducibly(users, pool, seed, size):
    draw = expert_panel_draw(actor=system_user(), subject_label="乙", specialty="pesticide", size=size, seed=seed)
    assert len(draw.picked_ids) == len(set(draw.picked_ids)) == size
    assert expert_draw_replay(draw) == draw.picked_ids


def test_draw_refuses_when_too_few_candidates_and_writes_nothing(users, pool):
    before = ExpertDraw.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match="只有 0 名，不足 3 名") as caught:
        expert_panel_draw(actor=users["national"], subject_label="丙", specialty=ExpertSpecialty.VETERINARY_DRUG,
                          size=3)
    assert "size" in caught.value.fields
    # Excluding the whole of Guangxi leaves only the two Shanghai experts
    with pytest.raises(ValidationFailed, match="只有 2 名"):
        expert_panel_draw(actor=users["national"], subject_label="丙", specialty="fertilizer", size=3,
                          exclude_region_codes=["450000"])
    assert (ExpertDraw.objects.count(), AuditEvent.objects.count()) == before


def test_draw_validates_input_and_role(users, pool):
    with pytest.raises(ValidationFailed) as caught:
        expert_panel_draw(actor=users["national"], subject_label=" ", specialty="cooking", size=0, seed=-1)
    assert set(caught.value.fields) == {"subject_label", "specialty", "size", "seed"}
    for who in ("gx_applicant", "expert", "inspector"):
        with pytest.raises(PermissionDenied):
            expert_panel_draw(actor=users[who], subject_label="丁", specialty="fertilizer", size=1)


def test_inactive_experts_are_never_drawn(users, pool):
    admin = users["admin"]
    for profile in pool[1:]:
        expert_profile_save(actor=admin, user=profile.user, specialties=profile.specialties, is_active=False)
    draw = expert_panel_draw(actor=admin, subject_label="戊", specialty="fertilizer", size=1)
    assert draw.candidate_ids == [pool[0].user_id]


def test_expert_profile_needs_the_expert_role_and_known_specialties(users, regions):
    with pytest.raises(ValidationFailed) as caught:
        expert_profile_save(actor=users["admin"], user=users["inspector"], specialties=["cooking"],
                            region=regions["450100"])
    assert set(caught.value.fields) == {"user", "specialties", "region"}
    with pytest.raises(PermissionDenied):
        expert_profile_save(actor=users["gx_province"], user=users["expert"], specialties=["fertilizer"])
    profile = expert_profile_save(actor=users["admin"], user=users["expert"], specialties=["feed", "feed"])
    assert profile.specialties == ["feed"] and profile.specialty_labels() == ["饲料及饲料添加剂"]


# --- Designated labs ----------------------------------------------------------------------------------


@pytest.fixture
def labs(users, regions):
    admin = users["admin"]
    full = EntityFactory(name="广西桂标检测", kind=EntityKind.LAB, region=regions["450103"])
    partial = EntityFactory(name="南宁农检所", kind=EntityKind.LAB, region=regions["450102"])
    lab_designation_create(
        actor=admin, lab=full, scheme=DesignationScheme.GREEN_INPUTS,
        tests=[LabTest.HEAVY_METALS, LabTest.PESTICIDE_RESIDUES, LabTest.BANNED_SUBSTANCES],
        valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2027, 12, 31), basis="中绿协〔2025〕1号",
    )
    lab_designation_create(
        actor=admin, lab=full, scheme=DesignationScheme.GREEN_INPUTS, tests=[LabTest.MICROBIOLOGY],
        valid_from=datetime.date(2026, 1, 1), valid_until=datetime.date(2026, 12, 31),
    )
    lab_designation_create(
        actor=admin, lab=partial, scheme=DesignationScheme.GREEN_INPUTS, tests=[LabTest.HEAVY_METALS],
        valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2027, 12, 31),
    )
    return {"full": full, "partial": partial}


def test_designated_labs_cover_all_requested_tests(labs):
    both = designated_labs(scheme="green_inputs", test_codes=["heavy_metals"], on_date=DAY)
    assert set(both) == {labs["partial"], labs["full"]}
    covering = designated_labs(scheme="green_inputs", test_codes=["heavy_metals", "microbiology"], on_date=DAY)
    assert list(covering) == [labs["full"]]
    # After the microbiology designation ends, nobody covers it
    later = datetime.date(2027, 1, 4)
    assert not designated_labs(scheme="green_inputs", test_codes=["microbiology"], on_date=later).exists()
    # Another scheme has no designations
    assert not designated_labs(scheme="organic", test_codes=["heavy_metals"], on_date=DAY).exists()


def test_lab_check_names_missing_tests(labs):
    with pytest.raises(ValidationFailed, match="不含以下检测项目：微生物、禁用物质") as caught:
        lab_check_assignable(lab_entity=labs["partial"], scheme="green_inputs",
                             test_codes=["heavy_metals", "microbiology", "banned_substances"], on_date=DAY)
    assert "lab" in caught.value.fields
    lab_check_assignable(lab_entity=labs["full"], scheme="green_inputs",
                         test_codes=["heavy_metals", "microbiology"], on_date=DAY)
    with pytest.raises(ValidationFailed, match="不是有机农产品定点检测机构"):
        lab_check_assignable(lab_entity=labs["full"], scheme="organic", test_codes=["heavy_metals"], on_date=DAY)
    with pytest.raises(ValidationFailed, match="不在有效期内"):
        lab_check_assignable(lab_entity=labs["partial"], scheme="green_inputs", test_codes=["heavy_metals"],
                             on_date=datetime.date(2028, 1, 3))


def test_suspended_lab_is_not_assignable_until_resumed(users, labs):
    admin = users["admin"]
    designation = labs["partial"].lab_designations.get()
    with pytest.raises(ValidationFailed) as caught:
        lab_designation_suspend(actor=admin, designation=designation, reason=" ")
    assert "reason" in caught.value.fields
    lab_designation_suspend(actor=admin, designation=designation, reason="能力验证不合格")
    with pytest.raises(ValidationFailed, match="已暂停：能力验证不合格"):
        lab_check_assignable(lab_entity=labs["partial"], scheme="green_inputs", test_codes=["heavy_metals"],
                             on_date=DAY)
    assert labs["partial"] not in designated_labs(scheme="green_inputs", test_codes=["heavy_metals"], on_date=DAY)
    lab_designation_resume(actor=admin, designation=designation, reason="复评合格")
    lab_check_assignable(lab_entity=labs["partial"], scheme="green_inputs", test_codes=["heavy_metals"], on_date=DAY)
    verbs = list(AuditEvent.objects.filter(target_type="accounts.labdesignation").values_list("verb", flat=True))
    assert verbs.count("accounts.lab_designation_suspend") == 1 and verbs.count("accounts.lab_designation_resume") == 1


def test_only_labs_with_known_tests_can_be_designated(users, gx_entity):
    with pytest.raises(ValidationFailed) as caught:
        lab_designation_create(actor=users["admin"], lab=gx_entity, scheme="cooking", tests=["taste"],
                               valid_from=DAY, valid_until=DAY - datetime.timedelta(days=1))
    assert set(caught.value.fields) == {"lab", "scheme", "tests", "valid_until"}
    with pytest.raises(PermissionDenied):
        lab_designation_create(actor=users["national"], lab=gx_entity, scheme="green_inputs", tests=["gmo"],
                               valid_from=DAY, valid_until=DAY)


# --- Admin pages --------------------------------------------------------------------------------------


def test_admin_pages_list_the_registries_and_draws_are_read_only(client, users, pool, labs):
    admin = users["admin"]
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    draw = expert_panel_draw(actor=admin, subject_label="己", specialty="fertilizer", size=2, seed=7)
    assert "农业科学院1" in client.get("/admin/accounts/expertprofile/").content.decode()
    assert "广西桂标检测" in client.get("/admin/accounts/labdesignation/").content.decode()
    assert client.get("/admin/accounts/expertdraw/").status_code == 200
    assert client.get("/admin/accounts/expertdraw/add/").status_code == 403
    response = client.post(f"/admin/accounts/expertdraw/{draw.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 and ExpertDraw.objects.filter(pk=draw.pk).exists()


def test_admin_refuses_an_expert_profile_for_a_user_without_the_expert_role(client, users):
    admin = users["admin"]
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.post("/admin/accounts/expertprofile/add/", {
        "user": users["inspector"].pk, "title": "研究员", "organisation": "某研究所", "is_active": "on",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "该用户没有评审专家角色" in page and "请至少选择一个评审专业" in page
    response = client.post("/admin/accounts/expertprofile/add/", {
        "user": users["expert"].pk, "specialties": ["pesticide"], "title": "研究员", "is_active": "on",
    })
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="admin.expertprofile_create").exists()


# --- Demo data ----------------------------------------------------------------------------------------


def test_demo_pool_can_staff_a_green_input_panel_and_the_demo_lab_is_designated(db):
    from django.core.management import call_command

    from sanpin.accounts.demo import ENTITIES, LAB_DESIGNATIONS, demo_uscc
    from sanpin.accounts.models import ExpertProfile, LabDesignation
    from sanpin.catalog.models import Entity

    call_command("load_regions", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent: nothing doubles
    assert ExpertProfile.objects.count() == 3 and LabDesignation.objects.count() == len(LAB_DESIGNATIONS)

    index = next(i for i, e in enumerate(ENTITIES) if e.key == "fertiliser")
    spec = ENTITIES[index]
    manufacturer = Entity.objects.get(uscc=demo_uscc(index, spec.kind, spec.county))
    draw = expert_panel_draw(
        actor=system_user(), subject_label="绿护生物有机肥", specialty=ExpertSpecialty.FERTILIZER, size=3,
        exclude_entity_ids=[manufacturer.pk], exclude_region_codes=[manufacturer.region_id],
    )
    assert {u.username for u in expert_draw_panel(draw)} == {"expert", "expert2", "expert3"}

    lab = Entity.objects.get(users__username="lab")
    today = timezone.localdate()
    assert list(designated_labs(scheme="green_inputs", test_codes=["heavy_metals", "banned_substances"],
                                on_date=today)) == [lab]
