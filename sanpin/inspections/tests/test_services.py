"""Annual inspection as services [004 §24, 002 §3(5)]: the plan lists every holder of a valid
certificate of its schemes in the province on the basis date (and no one else), regenerating only
adds; a qualified inspector is assigned; the record's conclusion opens rectifications or
revocation requests through supervision; bad input writes nothing."""

import datetime

import pytest

from sanpin.accounts.choices import QualificationKind
from sanpin.accounts.models import system_user
from sanpin.certificates.services import certificate_set_status
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.inspections import services
from sanpin.inspections.models import AnnualInspectionPlan, InspectionRecord, PlanItem
from sanpin.supervision.models import Rectification, RevocationRequest

from .factories import inspector, issue

pytestmark = pytest.mark.django_db

D = datetime.date


def names(plan):
    return sorted(plan.items.values_list("entity__name", flat=True))


def generate(w, schemes=("green_food", "green_inputs"), **kw):
    return services.plan_generate(actor=w["users"]["gx_province"], province=w["regions"]["450000"], year=2026,
                                  schemes=list(schemes), **kw)


def test_the_plan_lists_every_holder_of_a_valid_certificate_on_1_january_and_no_one_else(world):
    plan = generate(world)
    assert plan.basis_date == D(2026, 1, 1)
    assert names(plan) == sorted(["广西绿源农业有限公司", "百色生资公司", "整改中公司"])
    inputs_item = plan.items.get(entity=world["inputs"])
    assert list(inputs_item.certificates.all()) == [world["inputs_cert"]]  # the expired one is left out
    assert AuditEvent.objects.filter(verb="inspection.plan_generate").count() == 1


def test_a_plan_covers_only_the_schemes_it_chooses(world):
    plan = generate(world, schemes=["green_food"])
    assert "百色生资公司" not in names(plan)
    assert names(plan) == sorted(["广西绿源农业有限公司", "整改中公司"])


def test_regenerating_adds_newly_certified_holders_and_never_drops_an_item(world):
    plan = generate(world)
    certificate_set_status(actor=system_user(), certificate=world["valid_cert"], status="revoked", reason="取消")
    added = services.plan_regenerate(actor=world["users"]["gx_province"], plan=plan)  # today: 2 March
    assert added == (1, 1)
    assert names(plan) == sorted(["广西绿源农业有限公司", "百色生资公司", "整改中公司", "新获证公司"])
    assert services.plan_regenerate(actor=world["users"]["gx_province"], plan=plan) == (0, 0)  # idempotent


def test_one_plan_per_province_and_year_and_only_for_ones_own_province(world):
    generate(world)
    with pytest.raises(Conflict):
        generate(world)
    with pytest.raises(PermissionDenied):
        services.plan_generate(actor=world["users"]["sh_province"], province=world["regions"]["450000"], year=2027,
                               schemes=["green_food"])
    with pytest.raises(PermissionDenied):
        services.plan_generate(actor=world["users"]["nn_city"], province=world["regions"]["450000"], year=2027,
                               schemes=["green_food"])
    with pytest.raises(ValidationFailed) as refused:
        services.plan_generate(actor=world["users"]["gx_province"], province=world["regions"]["450100"], year=2027,
                               schemes=["organic"], on=D(2026, 5, 1))
    assert set(refused.value.fields) == {"province", "schemes", "on"}
    assert AnnualInspectionPlan.objects.count() == 1


@pytest.fixture
def plan(world):
    return generate(world)


def item_of(plan, entity):
    return plan.items.get(entity=entity)


def test_only_a_qualified_inspector_of_the_province_for_every_scheme_is_assigned(world, plan, agencies):
    item = item_of(plan, world["valid"])
    inputs_only = inspector("inputs_only", agencies["gx"], kinds=[QualificationKind.GREEN_INPUTS_ADMIN])
    shanghai = inspector("sh_insp", agencies["sh"], province="310000")
    lapsed = inspector("lapsed", agencies["gx"], valid_until=D(2025, 12, 31))
    for who in (inputs_only, shanghai, lapsed, world["users"]["gx_province"]):
        with pytest.raises(ValidationFailed) as refused:
            services.item_assign(actor=world["users"]["gx_province"], item=item, inspector=who)
        assert "inspector" in refused.value.fields
    supervisor = inspector("supervisor", agencies["gx"], kinds=[QualificationKind.GREEN_FOOD_SUPERVISOR])
    services.item_assign(actor=world["users"]["gx_province"], item=item, inspector=supervisor)
    item.refresh_from_db()
    assert item.inspector == supervisor
    # Green inputs need the 绿色生资管理员 qualification
    inputs_item = item_of(plan, world["inputs"])
    with pytest.raises(ValidationFailed):
        services.item_assign(actor=world["users"]["gx_province"], item=inputs_item, inspector=supervisor)
    # Not by city staff, nor by another province
    with pytest.raises(PermissionDenied):
        services.item_assign(actor=world["users"]["nn_city"], item=item, inspector=world["inspector"])
    with pytest.raises(NotFound):
        services.item_assign(actor=world["users"]["sh_province"], item=item, inspector=world["inspector"])


@pytest.fixture
def assigned(world, plan):
    for item in plan.items.all():
        services.item_assign(actor=world["users"]["gx_province"], item=item, inspector=world["inspector"])
    return plan


def test_a_pass_is_recorded_once(world, assigned):
    item = item_of(assigned, world["valid"])
    record = services.inspection_record(actor=world["inspector"], item=item, inspected_on=D(2026, 3, 1),
                                        findings="", conclusion="pass")
    assert record.number == "NJ2026000001" and record.inspector == world["inspector"]
    assert not Rectification.objects.exists() and not RevocationRequest.objects.exists()
    with pytest.raises(Conflict):
        services.inspection_record(actor=world["users"]["gx_province"], item=item, inspected_on=D(2026, 3, 2),
                                   findings="", conclusion="pass")
    with pytest.raises(TransitionNotAllowed):  # the inspector can no longer be changed
        services.item_assign(actor=world["users"]["gx_province"], item=item, inspector=world["inspector"])
    assert InspectionRecord.objects.count() == 1


def test_rectify_opens_a_rectification_for_each_valid_certificate(world, assigned):
    item = item_of(assigned, world["valid"])
    second = issue("green_food", world["valid"], product_name="绿源牌香米")
    item.certificates.add(second)
    record = services.inspection_record(actor=world["inspector"], item=item, inspected_on=D(2026, 3, 1),
                                        findings="包装未按规定标注产品编号", conclusion="rectify")
    rectifications = list(Rectification.objects.order_by("pk"))
    assert [r.certificate for r in rectifications] == sorted([world["valid_cert"], second], key=lambda c: c.number)
    assert {(r.cause, r.source, r.source_ref) for r in rectifications} == {
        ("inspection_failed", "annual_inspection", record.number)}
    assert set(record.rectifications.all()) == set(rectifications)
    assert rectifications[0].opened_by.is_system  # an inspector's conclusion is carried out by the system
    world["valid_cert"].refresh_from_db()
    assert world["valid_cert"].status == "in_rectification"


def test_rectify_skips_a_certificate_already_in_rectification(world, assigned):
    item = item_of(assigned, world["rectifying"])
    record = services.inspection_record(actor=world["users"]["gx_province"], item=item, inspected_on=D(2026, 3, 1),
                                        findings="生产记录不全", conclusion="rectify")
    assert not record.rectifications.exists()
    assert record.skipped and "整改中" in record.skipped[0]["reason"]


def test_fail_opens_a_revocation_request_with_the_schemes_cause(world, assigned):
    food = services.inspection_record(actor=world["users"]["gx_province"], item=item_of(assigned, world["valid"]),
                                      inspected_on=D(2026, 2, 20), findings="检出禁用农药", conclusion="fail")
    request = food.revocation_requests.get()
    assert request.certificate == world["valid_cert"] and request.causes == ["inspection_failed"]
    assert request.requested_by == world["users"]["gx_province"]
    inputs = services.inspection_record(actor=world["inspector"], item=item_of(assigned, world["inputs"]),
                                        inspected_on=D(2026, 2, 21), findings="配方擅自变更", conclusion="fail")
    assert inputs.revocation_requests.get().causes == ["not_conforming"]  # [004 §26(1)], decision 0022
    assert RevocationRequest.objects.count() == 2


@pytest.mark.parametrize(("values", "field"), [
    ({"conclusion": ""}, "conclusion"),
    ({"conclusion": "maybe"}, "conclusion"),
    ({"inspected_on": D(2026, 3, 3)}, "inspected_on"),  # tomorrow
    ({"inspected_on": D(2025, 12, 30)}, "inspected_on"),  # another year
    ({"inspected_on": None}, "inspected_on"),
    ({"findings": " "}, "findings"),  # a "rectify" must say what was found
])
def test_bad_input_is_refused_with_nothing_written(world, assigned, values, field):
    item = item_of(assigned, world["valid"])
    events = AuditEvent.objects.count()
    data = {"inspected_on": D(2026, 3, 1), "findings": "标志使用不规范", "conclusion": "rectify", **values}
    with pytest.raises(ValidationFailed) as refused:
        services.inspection_record(actor=world["inspector"], item=item, **data)
    assert field in refused.value.fields
    assert not InspectionRecord.objects.exists() and not Rectification.objects.exists()
    assert AuditEvent.objects.count() == events


def test_only_the_assigned_inspector_or_provincial_staff_record(world, assigned, agencies):
    item = item_of(assigned, world["valid"])
    other = inspector("other_inspector", agencies["gx"])
    data = {"inspected_on": D(2026, 3, 1), "findings": "", "conclusion": "pass"}
    with pytest.raises(PermissionDenied):
        services.inspection_record(actor=other, item=item, **data)
    with pytest.raises(PermissionDenied):
        services.inspection_record(actor=world["users"]["nn_city"], item=item, **data)
    with pytest.raises(NotFound):
        services.inspection_record(actor=world["users"]["sh_province"], item=item, **data)
    assert not InspectionRecord.objects.exists()


def test_an_unassigned_item_cannot_be_recorded(world, plan):
    item = item_of(plan, world["valid"])
    with pytest.raises(TransitionNotAllowed):
        services.inspection_record(actor=world["users"]["gx_province"], item=item, inspected_on=D(2026, 3, 1),
                                   findings="", conclusion="pass")
    assert PlanItem.objects.filter(inspector__isnull=False).count() == 0
