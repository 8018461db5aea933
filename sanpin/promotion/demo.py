"""Demo data for `manage.py load_demo_promotion` (after `load_demo` and `load_demo_applications`):

- the Shanghai "十百千万" targets of seed 003 att.4 §3 for the end of the 14th five-year plan (2025):
  4 市场专区, 45 商超专柜, 405 推广专员 (沪农委〔2023〕20号 附件4); no per-district targets (the seed
  gives none);
- Shanghai market zones and supermarket counters, and promotion specialists with their trainings,
  in several districts, registered by the Shanghai demo account (one outlet closed, one specialist
  not yet trained, one left, so the counts show what is not counted);
- events: an upcoming 绿色食品宣传月 of the national centre taking sign-ups, with the Guangxi demo
  applicant signed up (approved) with its valid certificates; a Shanghai local 推介展销 still in
  draft; a past 绿博会 held with its results;
- one published award list of the past 绿博会 with the Guangxi demo applicant's valid certificates.

Dates of events count from today; registry dates are fixed inside 2023–2025 so they count on
31 December 2025. Host names and people are fictional. A second run writes nothing."""

import datetime
from decimal import Decimal

from django.db import transaction

from sanpin.accounts.models import Agency, User, system_user
from sanpin.catalog.models import Region
from sanpin.certificates.models import Certificate
from sanpin.core import audit, clock

from . import awards, registry, services
from .choices import AwardListStatus, EventKind, EventStatus, OutletKind
from .models import AwardList, Event, Outlet, Participation, PromotionSpecialist

TARGET_YEAR = 2025
TARGET_SOURCE = "沪农委〔2023〕20号 附件4"
TARGETS = {"market_zone": 4, "store_counter": 45, "specialist": 405}

# (kind, host name, district, address, opened on, closed on)
OUTLETS = [
    (OutletKind.MARKET_ZONE, "青浦区西部农产品批发市场（演示）", "310118", "华新镇华志路 1 号", "2023-09-01", None),
    (OutletKind.MARKET_ZONE, "嘉定区江桥农产品批发市场（演示）", "310114", "江桥镇金园一路 8 号", "2024-04-15", None),
    (OutletKind.MARKET_ZONE, "闵行区农产品中心批发市场（演示）", "310112", "虹梅南路 3 号", "2025-06-01", None),
    (OutletKind.MARKET_ZONE, "浦东新区南汇果品市场（演示）", "310115", "新场镇沪南公路 9 号", "2023-05-10",
     "2025-03-31"),
    (OutletKind.STORE_COUNTER, "浦江源生鲜超市青浦店（演示）", "310118", "盈港东路 18 号", "2023-11-01", None),
    (OutletKind.STORE_COUNTER, "申城优选超市徐泾店（演示）", "310118", "徐泾镇诸光路 6 号", "2024-08-01", None),
    (OutletKind.STORE_COUNTER, "申城优选超市松江店（演示）", "310117", "方松街道文诚路 21 号", "2024-03-18", None),
    (OutletKind.STORE_COUNTER, "绿田生活超市九亭店（演示）", "310117", "九亭镇沪亭北路 2 号", "2025-01-06", None),
    (OutletKind.STORE_COUNTER, "崇明岛鲜超市城桥店（演示）", "310151", "城桥镇八一路 5 号", "2024-06-20", None),
    (OutletKind.STORE_COUNTER, "金山农家超市朱泾店（演示）", "310116", "朱泾镇人民路 30 号", "2025-05-12", None),
    (OutletKind.STORE_COUNTER, "奉贤绿色食品专柜南桥店（演示）", "310120", "南桥镇解放东路 66 号", "2024-10-08", None),
    (OutletKind.STORE_COUNTER, "浦东优品超市惠南店（演示）", "310115", "惠南镇城南路 12 号", "2025-09-01", None),
]

# (name, employer, district, registered on, trained on (None: not yet), left on)
SPECIALISTS = [
    ("顾晓峰", "上海浦江源生态农业有限公司", "310118", "2023-10-09", "2023-11-16", None),
    ("沈丽华", "青浦区西部农产品批发市场（演示）", "310118", "2023-10-09", "2024-05-22", None),
    ("陆建明", "青浦区练塘镇农业服务中心", "310118", "2024-03-01", "2024-05-22", None),
    ("朱婷", "嘉定区江桥农产品批发市场（演示）", "310114", "2024-04-20", "2024-05-22", None),
    ("钱志刚", "闵行区农产品中心批发市场（演示）", "310112", "2025-06-10", "2025-07-03", None),
    ("施永明", "上海市崇明区禾韵家庭农场", "310151", "2024-02-26", "2024-05-22", None),
    ("黄佳", "崇明岛鲜超市城桥店（演示）", "310151", "2024-06-25", "2025-07-03", None),
    ("徐卫东", "上海市松江区泖田家庭农场", "310117", "2024-03-05", "2024-05-22", None),
    ("王芳", "申城优选超市松江店（演示）", "310117", "2024-03-20", "2025-07-03", None),
    ("张海燕", "上海市金山区吕巷水果专业合作社", "310116", "2024-09-02", "2025-07-03", None),
    ("李强", "上海市奉贤区金汇黄桃专业合作社", "310120", "2024-09-02", "2024-10-17", None),
    ("周敏", "上海市浦东新区南汇水蜜桃种植专业合作社", "310115", "2023-06-12", "2023-11-16", None),
    ("吴磊", "浦东优品超市惠南店（演示）", "310115", "2025-09-05", None, None),  # registered, not yet trained
    ("孙倩", "浦东新区南汇果品市场（演示）", "310115", "2023-06-12", "2023-11-16", "2025-03-31"),  # left
]
TRAININGS = {
    "2023-11-16": ("绿色有机地理标志农产品推广专员培训班（第一期）", "8"),
    "2024-05-22": ("绿色有机地理标志农产品推广专员培训班（第二期）", "12"),
    "2024-10-17": ("农产品“三品一标”品牌营销实务", "6"),
    "2025-07-03": ("绿色有机地理标志农产品推广专员培训班（第三期）", "12"),
}
TRAINER = "上海市农产品质量安全中心"

MONTH = "春风万里 绿食有你——{year} 年绿色食品宣传月（演示）"
EXPO = "第二十六届中国绿色食品博览会（演示）"
LOCAL = "上海地产绿色优质农产品进社区推介展销（演示）"
AWARDS = "第二十六届中国绿色食品博览会参展产品评优获奖名单（演示）"


def _day(text):
    return datetime.date.fromisoformat(text) if text else None


def _targets(report):
    from sanpin.stats.target_services import targets_load

    rows = [{"region": "310000", "year": TARGET_YEAR, "measure": measure, "value": value, "source": TARGET_SOURCE}
            for measure, value in TARGETS.items()]
    report["targets"] = len(targets_load(actor=system_user(), rows=rows))


def _registry(staff, report):
    districts = {r.code: r for r in Region.objects.filter(code__in={row[2] for row in OUTLETS + SPECIALISTS})}
    for kind, host, code, address, opened, closed in OUTLETS:
        if code not in districts or Outlet.objects.filter(host_name=host, district_id=code).exists():
            continue
        outlet = registry.outlet_register(actor=staff, kind=kind, host_name=host, district=districts[code],
                                          address=address, opened_on=_day(opened))
        if closed:
            registry.outlet_close(actor=staff, outlet=outlet, closed_on=_day(closed), reason="市场搬迁（演示）")
        report["outlets"] += 1
    for name, employer, code, registered, trained, left in SPECIALISTS:
        if code not in districts or PromotionSpecialist.objects.filter(name=name, district_id=code).exists():
            continue
        person = registry.specialist_register(actor=staff, name=name, employer=employer, district=districts[code],
                                              registered_on=_day(registered))
        if trained:
            course, hours = TRAININGS[trained]
            registry.specialist_training_record(actor=staff, specialist=person, course=course,
                                                trained_on=_day(trained), hours=hours, organiser=TRAINER)
        if left:
            registry.specialist_leave(actor=staff, specialist=person, left_on=_day(left))
        report["specialists"] += 1


def _past_expo(national, centre, today):
    """A 绿博会 held two months ago, written as it stands after its results were recorded (the
    services judge dates against today, so a past event is stored directly, with its audit event)."""
    event = Event.objects.filter(title=EXPO).first()
    if event is not None:
        return event, False
    starts = today - datetime.timedelta(days=60)
    event = Event.objects.create(
        kind=EventKind.GREEN_EXPO, title=EXPO, starts_on=starts, ends_on=starts + datetime.timedelta(days=3),
        place="合肥滨湖国际会展中心", organiser=centre, signup_deadline=starts - datetime.timedelta(days=20),
        description="突出“商”味，强化专业招商、产销对接和宣传推介服务。", status=EventStatus.HELD,
        visitors=86000, deals_count=412, deals_amount=Decimal("35600.00"),
        results_note="展示绿色食品、有机农产品和地理标志农产品 6000 余个；现场签约和意向成交（演示数据）。",
        results_recorded_at=clock.now(), created_by=national)
    audit.record(actor=national, verb="promotion.event.record_results", target=event,
                 new={"status": EventStatus.HELD, "visitors": event.visitors, "deals_count": event.deals_count,
                      "deals_amount": str(event.deals_amount)}, reason="演示数据")
    return event, True


def _events(national, shanghai, report, today):
    centre = Agency.objects.filter(level="national").order_by("pk").first()
    sh_centre = shanghai.agency if shanghai and shanghai.agency_id else None
    expo, made = _past_expo(national, centre, today)
    report["events"] += made
    starts = today + datetime.timedelta(days=20)
    if not Event.objects.filter(title=MONTH.format(year=starts.year)).exists():
        month = services.event_create(
            actor=national, organiser=centre, kind=EventKind.GREEN_FOOD_MONTH, title=MONTH.format(year=starts.year),
            starts_on=starts, ends_on=today + datetime.timedelta(days=50),
            place="全国各地（线上线下结合）", signup_deadline=today + datetime.timedelta(days=10),
            description="以“绿色生产、绿色消费、绿色发展”为主题，推动绿色食品进超市、进社区、进学校。")
        month = services.event_transition(actor=national, event=month, action="open")
        report["events"] += 1
        applicant = User.objects.filter(username="gx_applicant").first()
        held = _valid_certificates(applicant.entity_id if applicant else None, today)
        if held:
            participation = services.participation_sign_up(
                actor=applicant, event=month, certificates=held,
                products="\n".join(c.product_name for c in held), booth="覃海燕 0771-0000000（演示）")
            services.participation_decide(actor=national, participation=participation, action="approve",
                                          note="材料齐全，同意参展")
    if sh_centre and not Event.objects.filter(title=LOCAL).exists():
        services.event_create(
            actor=shanghai, organiser=sh_centre, kind=EventKind.LOCAL_FAIR, title=LOCAL,
            starts_on=today + datetime.timedelta(days=35), ends_on=today + datetime.timedelta(days=36),
            place="上海农业展览馆", signup_deadline=today + datetime.timedelta(days=25),
            description="组织地产绿色优质农产品进社区、进商超推介展销。")
        report["events"] += 1
    return expo, centre


def _valid_certificates(entity_id, today) -> list:
    from .checks import certificate_problem

    if entity_id is None:
        return []
    rows = Certificate.objects.filter(holder_id=entity_id, renewed=False).order_by("number")
    return [c for c in rows if certificate_problem(c, on=today) is None]


def _award_list(national, centre, expo, report, today):
    if AwardList.objects.filter(title=AWARDS).exists():
        return
    applicant = User.objects.filter(username="gx_applicant").first()
    held = _valid_certificates(applicant.entity_id if applicant else None, today)
    if not held:
        return
    award_list = awards.award_list_create(actor=national, organiser=centre, title=AWARDS, year=expo.starts_on.year,
                                          event=expo, source="中绿办〔演示〕1号")
    for rank, (certificate, award) in enumerate(zip(held, ("金奖", "优秀奖"), strict=False), start=1):
        awards.award_entry_add(actor=national, award_list=award_list, certificate=certificate, award=award,
                               rank=rank)
    published = awards.award_list_publish(actor=national, award_list=award_list)
    report["award_lists"] += published.status == AwardListStatus.PUBLISHED


@transaction.atomic
def load_demo_promotion() -> dict:
    """Returns what was created: {"targets", "outlets", "specialists", "events", "award_lists", "participations"}."""
    today = clock.today()
    report = {"targets": 0, "outlets": 0, "specialists": 0, "events": 0, "award_lists": 0}
    national = User.objects.filter(username="national").first()
    shanghai = User.objects.select_related("agency").filter(username="sh_province").first()
    if national is None or shanghai is None:
        raise LookupError("demo accounts missing: run load_demo first")
    _targets(report)
    _registry(shanghai, report)
    expo, centre = _events(national, shanghai, report, today)
    _award_list(national, centre, expo, report, today)
    report["participations"] = Participation.objects.count()
    return report
