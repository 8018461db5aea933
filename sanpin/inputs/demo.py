"""Demo data for `manage.py load_demo_inputs` (after `load_demo`): a published Guangxi list of
pesticides usable on green food, as the Guangxi green food development station issues one (seed
002 §3(7): "绿色食品可用农药清单，清单包含80多个品种…和农药残留限量要求").

The dozen pesticides are common on green food lists (NY/T 393 allows them). The residue limits
are for rice (糙米, category 01), citrus (04) and cucumber (03), entered from GB 2763—2021 as
remembered, not checked clause by clause against the standard: every figure is marked `is_demo`
and the pages say so. Biological pesticides the list carries without a limit (苦参碱, 印楝素,
枯草芽孢杆菌) show the "no limit for this crop" flag. The list is made by the demo account
`gx_province` through the services, so it has its audit trail; a reload changes nothing."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from sanpin.accounts.models import User

from . import services
from .choices import InputKind
from .models import AllowedInputList

TITLE = "广西绿色食品可用农药清单（2024）"
GB2763 = "GB 2763—2021"
RICE, CITRUS, CUCUMBER = ("水稻", "01"), ("柑橘", "04"), ("黄瓜", "03")

# common name, active ingredient, category, restriction, [(crop, category code, mg/kg), ...]
PESTICIDES = (
    ("吡虫啉", "吡虫啉", "insecticide", "每季最多使用 1 次", [(*RICE, "0.05"), (*CITRUS, "1"), (*CUCUMBER, "1")]),
    ("啶虫脒", "啶虫脒", "insecticide", "", [(*RICE, "0.5"), (*CITRUS, "0.5"), (*CUCUMBER, "1")]),
    ("噻嗪酮", "噻嗪酮", "insecticide", "", [(*RICE, "0.3"), (*CITRUS, "0.5")]),
    ("阿维菌素", "阿维菌素", "insecticide", "", [(*RICE, "0.02"), (*CITRUS, "0.02"), (*CUCUMBER, "0.02")]),
    ("苦参碱", "苦参碱", "insecticide", "植物源农药", []),
    ("印楝素", "印楝素", "insecticide", "植物源农药", []),
    ("多菌灵", "多菌灵", "fungicide", "", [(*RICE, "2"), (*CITRUS, "5"), (*CUCUMBER, "0.5")]),
    ("嘧菌酯", "嘧菌酯", "fungicide", "", [(*CITRUS, "1"), (*CUCUMBER, "0.5")]),
    ("代森锰锌", "代森锰锌", "fungicide", "", [(*CITRUS, "3"), (*CUCUMBER, "5")]),
    ("三环唑", "三环唑", "fungicide", "用于水稻稻瘟病", [(*RICE, "2")]),
    ("井冈霉素", "井冈霉素", "fungicide", "微生物源农药", [(*RICE, "0.5")]),
    ("春雷霉素", "春雷霉素", "fungicide", "微生物源农药", [(*RICE, "0.1")]),
    ("枯草芽孢杆菌", "枯草芽孢杆菌", "fungicide", "微生物农药", []),
)


@dataclass
class Report:
    created: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.created.values())


@transaction.atomic
def load_demo_inputs() -> Report:
    report = Report()
    if AllowedInputList.objects.filter(title=TITLE, issuer_region_id="450000").exists():
        return report
    actor = User.objects.filter(username="gx_province").first()
    if actor is None:
        raise LookupError("gx_province")
    lst = services.list_create(
        actor=actor, kind=InputKind.PESTICIDE, title=TITLE, issuer_region="450000",
        issuer_name="广西壮族自治区绿色食品发展站",
        source_document="自治区绿色食品发展站印发的绿色食品可用农药清单（演示数据，非原文件）",
        effective_from=datetime.date(2024, 1, 1),
        note="演示清单：品种取自 NY/T 393 允许使用的常见农药，残留限量参照 GB 2763—2021，均为演示数据，未逐条核对。")
    for name, ingredient, category, restriction, limits in PESTICIDES:
        services.input_add(actor=actor, lst=lst, common_name=name, active_ingredient=ingredient, category=category,
                           restrictions=restriction, limits=[
                               {"crop": crop, "crop_category": code, "max_value": value, "unit": "mg/kg",
                                "source_standard": GB2763, "is_demo": True} for crop, code, value in limits])
    services.list_publish(actor=actor, lst=lst)
    report.created = {"清单": 1, "农药": len(PESTICIDES), "残留限量": sum(len(p[4]) for p in PESTICIDES)}
    return report
