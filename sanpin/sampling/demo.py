"""Demo data for `manage.py load_demo_sampling` (run by `make run` after `load_demo`): the
standards table for the product categories of the demo certificates, and a draft sampling plan
of the year with its quotas, ready to be drawn by the `national` account.

The limits cite the standards they come from; every row is marked `is_demo` (演示) because the
figures were entered for demonstration and have not been checked clause by clause against the
current edition of the cited standard (the green food product standards often set stricter
limits, and many pesticides are "not detectable" there). An administrator corrects them in the
admin; a reload never overwrites a row that exists. The plan quotas are demonstration figures
too (the national plan is 3000 green food products [001 §6], split per province)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from sanpin.accounts.choices import LabTest
from sanpin.catalog.models import Region
from sanpin.core import clock

from . import services
from .models import SamplingPlan, Standard

D = Decimal
HM, PR, BS, NU = LabTest.HEAVY_METALS, LabTest.PESTICIDE_RESIDUES, LabTest.BANNED_SUBSTANCES, LabTest.NUTRIENT_CONTENT

# (scheme, category, indicator, test, min, max, unit, source standard)
STANDARDS = (
    # 绿色生资 · 肥料 (01): organic fertiliser
    ("green_inputs", "01", "总砷（As）", HM, None, D("15"), "mg/kg", "NY/T 525—2021 有机肥料"),
    ("green_inputs", "01", "总汞（Hg）", HM, None, D("2"), "mg/kg", "NY/T 525—2021 有机肥料"),
    ("green_inputs", "01", "总铅（Pb）", HM, None, D("50"), "mg/kg", "NY/T 525—2021 有机肥料"),
    ("green_inputs", "01", "总镉（Cd）", HM, None, D("3"), "mg/kg", "NY/T 525—2021 有机肥料"),
    ("green_inputs", "01", "有机质（以烘干基计）", NU, D("30"), D("100"), "%", "NY/T 525—2021 有机肥料"),
    # 绿色食品 · 粮食 (01): rice
    ("green_food", "01", "镉（以Cd计）", HM, None, D("0.2"), "mg/kg", "NY/T 419 绿色食品 稻米；GB 2762"),
    ("green_food", "01", "铅（以Pb计）", HM, None, D("0.2"), "mg/kg", "NY/T 419 绿色食品 稻米；GB 2762"),
    ("green_food", "01", "无机砷（以As计）", HM, None, D("0.2"), "mg/kg", "NY/T 419 绿色食品 稻米；GB 2762"),
    ("green_food", "01", "毒死蜱", PR, None, D("0.01"), "mg/kg", "NY/T 419 绿色食品 稻米"),
    # 绿色食品 · 蔬菜 (03)
    ("green_food", "03", "铅（以Pb计）", HM, None, D("0.1"), "mg/kg", "NY/T 655 绿色食品 茄果类蔬菜；GB 2762"),
    ("green_food", "03", "镉（以Cd计）", HM, None, D("0.05"), "mg/kg", "NY/T 655 绿色食品 茄果类蔬菜；GB 2762"),
    ("green_food", "03", "毒死蜱", PR, None, D("0.01"), "mg/kg", "NY/T 655 绿色食品 茄果类蔬菜"),
    # 有机农产品 · 植物生产 (01)
    ("organic", "01", "毒死蜱", PR, None, D("0.01"), "mg/kg", "GB/T 19630 有机产品（禁用物质，按检出限判定）"),
    ("organic", "01", "铅（以Pb计）", HM, None, D("0.2"), "mg/kg", "GB 2762 食品中污染物限量"),
)

# Demonstration quotas of the draft plan (province code → products).
DEMO_QUOTAS = {"450000": 20, "310000": 10}


@dataclass
class Report:
    created: dict = field(default_factory=dict)

    def add(self, what: str, n: int = 1):
        self.created[what] = self.created.get(what, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values())


@transaction.atomic
def load_demo_sampling(*, actor) -> Report:
    report = Report()
    for scheme, category, indicator, test, low, high, unit, source in STANDARDS:
        _row, created = Standard.objects.get_or_create(
            scheme=scheme, category=category, indicator=indicator,
            defaults={"test": test, "limit_min": low, "limit_max": high, "unit": unit, "source_standard": source,
                      "is_demo": True})
        if created:
            report.add("限量标准")
    year = clock.today().year
    if not SamplingPlan.objects.filter(year=year, scheme="green_food").exists():
        plan = services.plan_create(actor=actor, year=year, scheme="green_food",
                                    title=f"{year} 年绿色食品产品质量抽检计划（演示）")
        for code, count in DEMO_QUOTAS.items():
            region = Region.objects.filter(code=code).first()
            if region is not None:
                services.quota_set(actor=actor, plan=plan, region=region, count=count)
        report.add("抽检计划")
    return report
