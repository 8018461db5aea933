"""Demo applications for `manage.py load_demo_applications`: fee schedules and a handful of
green-input applications of the demo applicant, at different steps, driven through the engine
exactly as users would (so every row has its log and audit events)."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from sanpin.accounts.models import User

from . import engine, services
from .choices import FeeItem, WaiverCondition
from .models import Application, FeeSchedule, FeeWaiverRule
from .schemes import scheme_config

# Demonstration amounts per scheme: administrators enter the current schedules (with their source).
DEMO_FEES = {
    "green_inputs": ((FeeItem.REVIEW, Decimal("8000.00")), (FeeItem.MANAGEMENT, Decimal("4000.00"))),
    # 审核评价费 reported as 6,400 yuan per product (SPEC §10); the mark-use fee is a demo figure.
    "green_food": ((FeeItem.REVIEW, Decimal("6400.00")), (FeeItem.MARK_USE, Decimal("800.00"))),
    # 中绿华夏's 申请费, 审核费 and 注册费 [002 §3(1)4]: demo figures, not its published schedule.
    "organic": ((FeeItem.APPLICATION, Decimal("1000.00")), (FeeItem.REVIEW, Decimal("3000.00")),
                (FeeItem.REGISTRATION, Decimal("500.00"))),
}
ORGANIC_FEE_ITEMS = (FeeItem.APPLICATION, FeeItem.REVIEW, FeeItem.REGISTRATION)
# (scheme, items, condition, years after exit, percent, source) [001 §4, 002 §3(1)4]
DEMO_WAIVERS = (
    ("green_food", (FeeItem.REVIEW, FeeItem.MARK_USE), WaiverCondition.POVERTY_EXIT, 5, Decimal("100"),
     "脱贫县过渡期内免收绿色食品审核评价费和标志使用费 [001 §4, 002 §3(1)4]"),
    ("green_food", (FeeItem.REVIEW, FeeItem.MARK_USE), WaiverCondition.KEY_ASSISTANCE, None, Decimal("100"),
     "国家乡村振兴重点帮扶县免收绿色食品审核评价费和标志使用费 [001 §4, 002 §3(1)4]"),
    ("organic", ORGANIC_FEE_ITEMS, WaiverCondition.POVERTY_EXIT, 5, Decimal("35"),
     "中绿华夏对脱贫地区（脱贫之日起5年过渡期内）有机农产品减免35%申请费、审核费和注册费 [001 §4, 002 §3(1)4]"),
    ("organic", ORGANIC_FEE_ITEMS, WaiverCondition.KEY_ASSISTANCE, None, Decimal("35"),
     "中绿华夏对国家乡村振兴重点帮扶县有机农产品减免35%申请费、审核费和注册费 [002 §3(1)4]"),
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
    """Fee schedules and waiver rules of the demo (idempotent)."""
    created = 0
    for scheme, items in DEMO_FEES.items():
        for item, amount in items:
            _fee, made = FeeSchedule.objects.get_or_create(
                scheme=scheme, item=item, effective_from=date(2024, 1, 1),
                defaults={"amount": amount, "source": "演示数据：实际金额以主管机构现行收费标准为准"},
            )
            created += made
    for scheme, items, condition, years, percent, source in DEMO_WAIVERS:
        _rule, made = FeeWaiverRule.objects.get_or_create(
            scheme=scheme, condition=condition, effective_from=date(2021, 1, 1),
            defaults={"items": list(items), "years_after_exit": years, "reduction_percent": percent, "source": source},
        )
        created += made
    created += load_demo_certifier()
    return created


def load_demo_certifier() -> int:
    """The organic certifier whose code numbers the organic certificates and starts their 有机码
    (settings.ORGANIC_CERTIFIER_CODE)."""
    from django.conf import settings

    from sanpin.certificates.models import Certifier

    _certifier, made = Certifier.objects.get_or_create(
        code=settings.ORGANIC_CERTIFIER_CODE,
        defaults={"name": "中绿华夏有机产品认证中心", "approval_number": "CNCA-R-2002-001"},
    )
    return int(made)


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
    return {"fees": created_fees, "applications": 4 + _load_green_food(users)}


GREEN_FOOD_PRODUCTS = (
    {"name": "绿源牌香米", "category": "01", "trademark": "绿源", "approved_output": "800", "output_unit": "吨"},
    {"name": "绿源牌沃柑", "category": "04", "trademark": "绿源", "approved_output": "1200", "output_unit": "吨"},
)
GREEN_FOOD_MATERIALS = ("application_form", "business_licence", "quality_system", "production_rules", "base_proof")


def _green_food_application(users, product):
    applicant = users["gx_applicant"]
    application = engine.application_create(
        actor=applicant, scheme="green_food", kind="initial", entity=applicant.entity, products=[product],
        data={**_conditions(scheme_config("green_food")), "production_period": "4月—10月"},
    )
    for kind in GREEN_FOOD_MATERIALS:
        services.attachment_add(actor=applicant, application=application, kind=kind,
                                upload=ContentFile(PDF, name=f"{kind}.pdf"))
    engine.application_submit(actor=applicant, application=application)
    return application


def _load_green_food(users) -> int:
    """A green food certificate for the demo applicant, and a second product waiting for acceptance."""
    _green_food_application(users, GREEN_FOOD_PRODUCTS[1])
    rice = _green_food_application(users, GREEN_FOOD_PRODUCTS[0])
    province, national, applicant = users["gx_province"], users["national"], users["gx_applicant"]
    _act(rice, province, "accept", opinion="材料齐全，予以受理")
    _act(rice, province, "assign_inspector", inspector=users["inspector"])
    _act(rice, users["inspector"], "submit_inspection_report", opinion="生产期内现场检查，产地环境和投入品使用符合要求")
    _act(rice, province, "pass", opinion="现场检查合格，已抽样")
    _act(rice, applicant, "assign_test_lab", lab=users["lab"].entity, lab_tests=("routine", "environment"))
    _act(rice, users["lab"], "submit_product_report", opinion="各项指标符合绿色食品大米标准", favourable=True)
    _act(rice, users["lab"], "submit_environment_report", opinion="产地环境符合绿色食品产地环境质量标准",
         favourable=True)
    _act(rice, province, "pass", opinion="检测合格")
    _act(rice, province, "pass", opinion="初审合格，报送中心")
    _act(rice, national, "pass", opinion="书面审查合格")
    _act(rice, national, "draw_experts", experts={"specialty": "crops", "size": 3})
    rice.refresh_from_db()
    for assignment in engine.current_step(rice).assignments.filter(role="expert").select_related("user"):
        _act(rice, assignment.user, "submit_expert_opinion", opinion="符合绿色食品标准，同意颁证", favourable=True)
    _act(rice, national, "approve", opinion="同意颁证")
    _act(rice, national, "sign_contract", opinion="标志使用合同已签订")
    _act(rice, national, "confirm_payment", opinion="审核评价费、标志使用费已到账")
    _act(rice, national, "issue_licence")
    return 2
