"""A sampling world: a designated lab with its account, a second lab that is not designated, the
standards of organic fertiliser (green inputs, category 01) and a clock inside the licences'
validity."""

from datetime import date
from decimal import Decimal

import pytest

from sanpin.accounts.choices import LabTest, Role
from sanpin.accounts.models import LabDesignation
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.tests.factories import issue
from sanpin.sampling import services
from sanpin.sampling.models import Standard

TODAY = date(2026, 3, 2)


@pytest.fixture
def world(users, regions, on_day):
    on_day(TODAY)
    lab = EntityFactory(name="广西桂标检测技术有限公司", kind=EntityKind.LAB, region=regions["450103"])
    other_lab = EntityFactory(name="上海农产品检测中心", kind=EntityKind.LAB, region=regions["310104"])
    LabDesignation.objects.create(lab=lab, scheme="green_inputs",
                                  tests=[LabTest.HEAVY_METALS, LabTest.NUTRIENT_CONTENT],
                                  valid_from=date(2025, 1, 1), valid_until=date(2027, 12, 31))
    Standard.objects.create(scheme="green_inputs", category="01", indicator="总镉（Cd）", test=LabTest.HEAVY_METALS,
                            limit_max=Decimal("3"), unit="mg/kg", source_standard="NY/T 525—2021")
    Standard.objects.create(scheme="green_inputs", category="01", indicator="有机质", test=LabTest.NUTRIENT_CONTENT,
                            limit_min=Decimal("30"), limit_max=Decimal("100"), unit="%",
                            source_standard="NY/T 525—2021")
    return {
        **users, "regions": regions, "lab": lab, "other_lab": other_lab,
        "lab_user": UserFactory(username="lab", roles=[Role.LAB], entity=lab),
        "other_lab_user": UserFactory(username="sh_lab", roles=[Role.LAB], entity=other_lab),
    }


def certificates(holder, n, **extra):
    return [issue(holder, product_name=f"绿源牌有机肥{i}", **extra) for i in range(n)]


def drawn_plan(world, quotas, *, seed=7, year=2026, scheme="green_inputs"):
    plan = services.plan_create(actor=world["national"], year=year, scheme=scheme)
    for code, count in quotas.items():
        services.quota_set(actor=world["national"], plan=plan, region=world["regions"][code], count=count)
    services.plan_draw(actor=world["national"], plan=plan, seed=seed)
    plan.refresh_from_db()
    return plan


PASSING = [{"indicator": "总镉（Cd）", "value": "0.8", "unit": "mg/kg"},
           {"indicator": "有机质", "value": "45.2", "unit": "%"}]
FAILING = [{"indicator": "总镉（Cd）", "value": "4.6", "unit": "mg/kg"},
           {"indicator": "有机质", "value": "45.2", "unit": "%"}]
