"""Demo applications for `manage.py load_demo_applications`: fee schedules and a handful of
green-input applications of the demo applicant, at different steps, driven through the engine
exactly as users would (so every row has its log and audit events)."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from sanpin.accounts.models import User

from . import engine, services
from .choices import FeeItem
from .models import Application, FeeSchedule
from .schemes import scheme_config

DEMO_FEES = (  # demonstration amounts only: administrators enter the association's current schedule
    (FeeItem.REVIEW, Decimal("8000.00")),
    (FeeItem.MANAGEMENT, Decimal("4000.00")),
)
PRODUCTS = (
    ("绿源牌生物有机肥", "01", "绿源", "5000", "农肥（2024）准字 31245 号"),
    ("绿源牌微生物菌剂", "01", "绿源", "800", "微生物肥（2023）准字 10876 号"),
    ("绿源牌苏云金杆菌可湿性粉剂", "02", "绿源", "120", "PD20240311"),
    ("绿源牌水溶肥料", "01", "绿源", "1500", "农肥（2025）准字 40117 号"),
)
MATERIALS = ("application_form", "business_licence", "admin_licence")
PDF = b"%PDF-1.4\n% demonstration material\n"


def _users():
    return {u.username: u for u in User.objects.filter(username__in=[
        "gx_applicant", "gx_province", "inspector", "national", "expert", "lab"])}


def _conditions(config):
    return {"applicant_conditions": {c: True for c, _ in config.applicant_conditions},
            "product_conditions": {c: True for c, _ in config.product_conditions}}


def _new(users, product):
    applicant = users["gx_applicant"]
    name, category, trademark, output, registration = product
    application = engine.application_create(
        actor=applicant, scheme="green_inputs", kind="initial", entity=applicant.entity,
        products=[{"name": name, "category": category, "trademark": trademark, "approved_output": output,
                   "output_unit": "吨", "registration_no": registration}],
        data=_conditions(scheme_config("green_inputs")),
    )
    for kind in MATERIALS:
        services.attachment_add(actor=applicant, application=application, kind=kind,
                                upload=ContentFile(PDF, name=f"{kind}.pdf"))
    return application


def _act(application, user, action, **fields):
    return engine.application_act(actor=user, application=application, action=action,
                                  data=engine.ActionInput(**fields))


def load_demo_fee_schedules() -> int:
    created = 0
    for item, amount in DEMO_FEES:
        _fee, made = FeeSchedule.objects.get_or_create(
            scheme="green_inputs", item=item, effective_from=date(2024, 1, 1),
            defaults={"amount": amount, "source": "演示数据：实际金额以中国绿色食品协会现行收费标准为准"},
        )
        created += made
    return created


@transaction.atomic
def load_demo_applications() -> dict:
    created_fees = load_demo_fee_schedules()
    users = _users()
    applicant = users.get("gx_applicant")
    if applicant is None or applicant.entity_id is None:
        raise LookupError("demo accounts missing: run load_demo first")
    if Application.objects.filter(entity_id=applicant.entity_id).exists():
        return {"fees": created_fees, "applications": 0}

    _new(users, PRODUCTS[3])  # a draft still being filled in
    waiting = _new(users, PRODUCTS[2])
    engine.application_submit(actor=applicant, application=waiting)

    inspecting = _new(users, PRODUCTS[1])
    engine.application_submit(actor=applicant, application=inspecting)
    _act(inspecting, users["gx_province"], "pass", opinion="申请材料齐全，初审合格")
    _act(inspecting, users["gx_province"], "assign_inspector", inspector=users["inspector"])

    licensed = _new(users, PRODUCTS[0])
    engine.application_submit(actor=applicant, application=licensed)
    _act(licensed, users["gx_province"], "pass", opinion="申请材料齐全，初审合格")
    _act(licensed, users["gx_province"], "assign_inspector", inspector=users["inspector"])
    _act(licensed, users["inspector"], "submit_inspection_report", opinion="原料来源清楚，质量管理体系运行正常")
    _act(licensed, users["gx_province"], "pass", opinion="现场检查合格，报送协会")
    _act(licensed, users["national"], "pass", opinion="复审合格")
    _act(licensed, users["national"], "draw_experts", experts={"specialty": "fertilizer", "size": 3})
    licensed.refresh_from_db()
    step = engine.current_step(licensed)
    for assignment in step.assignments.filter(role="expert").select_related("user"):
        _act(licensed, assignment.user, "submit_expert_opinion", opinion="产品符合绿色生资技术要求，同意",
             favourable=True)
    _act(licensed, users["national"], "approve", opinion="审核合格")
    _act(licensed, users["national"], "sign_contract", opinion="许可合同已签订")
    _act(licensed, users["national"], "confirm_payment", opinion="审核费、管理费已到账")
    _act(licensed, users["national"], "issue_licence")
    return {"fees": created_fees, "applications": 4}
