"""Demo credit files for `manage.py load_demo_credit` (run by `make data` after `load_demo_bases`):
a few demo organisations get the facts their grades come from, then every standing is refreshed.

- 广西邕绿农业科技有限公司 (holds the demo certificates): two awards and a renewal on time → A,
  so it appears on the public A list;
- 横州市茉香茶业有限公司: a failed sampling test, its rectification left overdue and an upheld
  complaint → C;
- 南宁市武鸣区双桥沃柑种植专业合作社: a passed sampling test → B; 桂林漓韵罗汉果食品有限公司:
  a late renewal → B.

Dates count back from today, so the grades hold whenever the demo is loaded. Facts the other
modules would feed are written with the source "demo" and a fixed key (kind + source is unique),
manual ones through `credit_event_record` by the national demo account; a second run writes
nothing. Everything is fictional."""

import datetime

from django.db import transaction

from sanpin.accounts.demo import ENTITIES, demo_uscc
from sanpin.accounts.models import User, system_user
from sanpin.catalog.models import Entity
from sanpin.core import clock

from . import standing
from .choices import MANUAL_KINDS, CreditKind
from .models import CreditEvent
from .services import credit_event_record

DEMO_SOURCE = "demo"

# (entity key, kind, days ago, summary, evidence)
EVENTS = [
    ("gx_applicant", CreditKind.AWARD, 60, "获评自治区级农业产业化重点龙头企业", "桂农业发〔演示〕12号"),
    ("gx_applicant", CreditKind.AWARD, 200, "绿色食品生产示范单位（演示）", "桂绿站〔演示〕3号"),
    ("gx_applicant", CreditKind.RENEWAL_ON_TIME, 300, "绿色食品证书按期续展（演示）", ""),
    ("hengzhou_tea", CreditKind.SAMPLING_FAILED, 90, "茉莉花茶产品质量抽检：农药残留超标（演示）",
     "检测报告 GB-演示-0090"),
    ("hengzhou_tea", CreditKind.RECTIFICATION_OVERDUE, 40, "抽检不合格整改逾期未完成（演示）", ""),
    ("hengzhou_tea", CreditKind.COMPLAINT_UPHELD, 20, "消费者投诉标签标注不规范，经核查属实",
     "横州市农业农村局核查意见（演示）"),
    ("wuming_citrus", CreditKind.SAMPLING_PASSED, 120, "沃柑产品质量抽检合格（演示）", "检测报告 GB-演示-0120"),
    ("lingui_luohanguo", CreditKind.RENEWAL_LATE, 150, "绿色食品证书逾期续展（演示）", ""),
]


def _entities() -> dict:
    usccs = {spec.key: demo_uscc(i, spec.kind, spec.county) for i, spec in enumerate(ENTITIES)}
    found = {e.uscc: e for e in Entity.objects.filter(uscc__in=usccs.values())}
    return {key: found[uscc] for key, uscc in usccs.items() if uscc in found}


@transaction.atomic
def load_demo_credit() -> dict:
    """Returns {"events": created, "standings": refreshed}."""
    today = clock.today()
    entities = _entities()
    recorder = User.objects.filter(username="national").first() or system_user()
    created = 0
    for key, kind, days, summary, evidence in EVENTS:
        entity = entities.get(key)
        if entity is None:  # `load_demo` not run
            continue
        occurred_on = today - datetime.timedelta(days=days)
        if kind in MANUAL_KINDS and recorder.username == "national":
            if CreditEvent.objects.filter(entity=entity, kind=kind, summary=summary).exists():
                continue
            credit_event_record(actor=recorder, entity=entity, kind=kind, occurred_on=occurred_on, summary=summary,
                                evidence=evidence)
            created += 1
            continue
        _event, new = CreditEvent.objects.get_or_create(
            kind=kind, source_type=DEMO_SOURCE, source_id=f"{key}-{kind}-{days}",
            defaults={"entity": entity, "occurred_on": occurred_on, "summary": summary, "evidence": evidence,
                      "recorded_by": recorder})
        created += new
    refreshed = standing.refresh_all(today)
    return {"events": created, "standings": refreshed}
