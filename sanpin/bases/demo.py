"""Demo bases for `make run`: bases of the demo organisations in Guangxi and Shanghai entered by
their counties, three of the demo enterprise's bases taken through the listing review on the
engine (one listed by its city, one national base listed by the ministry, one waiting for its
county's acceptance), a yearly check, the 2025 information collection in Guangxi with counties at
every stage, the cities' total production and the provinces' share targets. Idempotent."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from sanpin.accounts.models import User
from sanpin.catalog.models import Entity, Region
from sanpin.certification import engine
from sanpin.certification import services as certification_services
from sanpin.core import clock

from . import collection, services
from .choices import BaseLevel, CheckResult, SamplingResult
from .models import Base

PDF = b"%PDF-1.4\n% demonstration material\n"

# (operator USCC owner key from the demo entities, name, type, level, products, varieties, area 亩,
#  output 吨, location, techniques)
BASES = [
    ("gx_applicant", "邕绿武鸣沃柑绿色优质农产品生产基地", "GQ", BaseLevel.DISTRICT, "沃柑", "沃柑",
     "12000", "36000", "武鸣区城厢镇、双桥镇", "水肥一体化、绿色防控、果园生草"),
    ("gx_applicant", "邕绿武鸣香米绿色食品原料标准化生产基地", "GF", BaseLevel.NATIONAL, "优质稻",
     "百香139、野香优莉丝", "52000", "31000", "武鸣区府城镇、宁武镇", "统一供种、测土配方施肥、病虫害统防统治"),
    ("gx_applicant", "邕绿双桥有机蔬菜基地", "OR", BaseLevel.PROVINCIAL, "叶菜类蔬菜", "菜心、芥蓝",
     "1800", "5400", "武鸣区双桥镇", "有机肥替代化肥、物理防虫、轮作"),
    ("wuming_citrus", "双桥沃柑全产业链标准化示范基地", "FC", BaseLevel.PROVINCIAL, "沃柑", "沃柑",
     "8500", "25500", "武鸣区双桥镇伏林村", "全程标准化生产、采后分级"),
    ("hengzhou_tea", "横州茉莉花茶地理标志农产品核心基地", "GI", BaseLevel.PROVINCIAL, "茉莉花、茉莉花茶", "双瓣茉莉",
     "10000", "9000", "横州市横州镇、校椅镇", "按横州茉莉花地理标志质量控制技术规范生产"),
    ("hengzhou_jasmine", "校椅镇茉莉花绿色优质农产品生产基地", "GQ", BaseLevel.DISTRICT, "茉莉花", "双瓣茉莉",
     "6000", "4800", "横州市校椅镇石井村", "绿色防控、生产记录"),
    ("longan_banana", "那桐香蕉绿色优质农产品生产基地", "GQ", BaseLevel.DISTRICT, "香蕉", "桂蕉1号",
     "9000", "27000", "隆安县那桐镇", "组培苗、测土配方施肥"),
    ("binyang_rice", "宾阳优质稻绿色食品原料基地", "GF", BaseLevel.DISTRICT, "优质稻", "桂育9号",
     "30000", "16500", "宾阳县宾州镇、新桥镇", "统防统治、稻鸭共育"),
    ("rongshui_mushroom", "元宝山香菇绿色优质农产品生产基地", "GQ", BaseLevel.DISTRICT, "香菇", "808",
     "600", "3200", "融水苗族自治县融水镇", "林下栽培、标准化菌棒"),
    ("sanjiang_tea", "三江早春茶地理标志农产品核心基地", "GI", BaseLevel.PROVINCIAL, "茶叶", "福云6号",
     "20000", "4200", "三江侗族自治县古宜镇", "生态茶园、绿色防控"),
    ("luzhai_pomelo", "青山蜜柚绿色优质农产品生产基地", "GQ", BaseLevel.DISTRICT, "蜜柚", "红心蜜柚",
     "3000", "9000", "鹿寨县黄冕镇青山村", "疏果套袋、有机肥替代"),
    ("lingui_luohanguo", "漓韵罗汉果地理标志农产品核心基地", "GI", BaseLevel.PROVINCIAL, "罗汉果", "青皮果",
     "5000", "15000", "临桂区两江镇", "组培苗、避雨栽培"),
    ("youjiang_mango", "右江芒果绿色优质农产品生产基地", "GQ", BaseLevel.DISTRICT, "芒果", "台农1号",
     "15000", "30000", "百色市右江区那毕乡", "套袋、绿色防控"),
    ("sh_applicant", "浦江源练塘茭白绿色食品生产基地", "GF", BaseLevel.PROVINCIAL, "茭白", "练塘茭白",
     "3000", "9000", "青浦区练塘镇", "绿色防控、水生蔬菜标准化生产"),
    ("fengxian_peach", "金汇黄桃绿色优质农产品生产基地", "GQ", BaseLevel.DISTRICT, "黄桃", "锦绣黄桃",
     "1500", "2250", "奉贤区金汇镇齐贤村", "避雨栽培、套袋"),
]

# Cities' total edible agricultural production in 2025 (吨), the share's denominator.
PRODUCTION_2025 = {"450100": "420000", "450200": "260000", "450300": "200000", "451000": "150000",
                   "310000": "36000"}
TARGETS = [("450000", 2025, "20", "2024年广西绿色食品、有机农产品工作要点 二；桂农厅办发〔2023〕151号"),
           ("310000", 2025, "30", "上海市优质农产品生产基地建设行动实施方案 三")]


def _entities():
    from sanpin.accounts.demo import ENTITIES, demo_uscc

    usccs = {spec.key: demo_uscc(i, spec.kind, spec.county) for i, spec in enumerate(ENTITIES)}
    by_uscc = {e.uscc: e for e in Entity.objects.filter(uscc__in=usccs.values())}
    return {key: by_uscc.get(uscc) for key, uscc in usccs.items()}


def _county_staff(county_code):
    return User.objects.filter(agency__region_id=county_code, agency__level="county", is_active=True).first()


def _act(application, user, action, **fields):
    return engine.application_act(actor=user, application=application, action=action,
                                  data=engine.ActionInput(**fields))


def _apply(base, applicant):
    application = services.base_apply_for_listing(actor=applicant, base=base)
    for kind in ("application_form", "production_rules"):
        certification_services.attachment_add(actor=applicant, application=application, kind=kind,
                                              upload=ContentFile(PDF, name=f"{kind}.pdf"))
    engine.application_submit(actor=applicant, application=application)
    application.refresh_from_db()
    return application


@transaction.atomic
def load_demo_bases() -> dict:
    if Base.objects.exists():
        return {"bases": 0, "listed": 0}
    users = {u.username: u for u in User.objects.filter(username__in=[
        "wm_county", "nn_city", "gx_province", "sh_province", "national", "gx_applicant"])}
    if "wm_county" not in users or "gx_applicant" not in users:
        raise LookupError("demo accounts missing: run load_demo first")
    entities = _entities()
    created = {}
    for key, name, base_type, level, products, varieties, area, output, location, techniques in BASES:
        operator = entities[key]
        county = operator.region_id
        # Counties with a demo account enter their own bases; the others' come from their province.
        actor = _county_staff(county) or (users["sh_province"] if county.startswith("31") else users["gx_province"])
        created[name] = services.base_create(
            actor=actor, name=name, base_type=base_type, level=level, operator=operator, county=county,
            products=products, varieties=varieties, area_mu=area, output_tons=output, location=location,
            coverage=location, techniques=techniques, responsible_person=operator.legal_representative)

    applicant, county, city = users["gx_applicant"], users["wm_county"], users["nn_city"]
    district = _apply(created[BASES[0][1]], applicant)
    _act(district, county, "pass", opinion="现场验收：按标建设，标识牌、生产记录齐全，验收合格")
    _act(district, city, "pass", opinion="复核通过，纳入目录并公布")
    national = _apply(created[BASES[1][1]], applicant)
    _act(national, county, "pass", opinion="申报材料齐全，同意报送省级验收")
    _act(national, users["gx_province"], "pass", opinion="省级验收合格，报送农业农村部复核")
    _act(national, users["national"], "pass", opinion="部级复核通过")
    _apply(created[BASES[2][1]], applicant)  # waiting for the county's acceptance

    listed = created[BASES[0][1]]
    listed.refresh_from_db()
    today = clock.today()
    services.base_record_check(actor=county, base=listed, year=today.year, checked_on=today,
                               result=CheckResult.PASSED, sampling=SamplingResult.PASSED,
                               findings="生产记录完整，抽检沃柑 3 批次，农药残留均符合要求")

    _load_collection(users)
    return {"bases": len(created), "listed": 2}


def _load_collection(users):
    guangxi, shanghai = Region.objects.get(code="450000"), Region.objects.get(code="310000")
    for province, year, percent, source in TARGETS:
        collection.share_target_set(actor=users["gx_province"] if province == "450000" else users["sh_province"],
                                    province=Region.objects.get(code=province), year=year,
                                    min_percent=Decimal(percent), source=source)
    for code, total in PRODUCTION_2025.items():
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        actor = users["sh_province"] if code.startswith("31") else users["gx_province"]
        collection.region_production_set(actor=actor, region=region, year=2025, total_output_tons=Decimal(total),
                                         source="市统计局 2025 年食用农产品产量（演示数据）")
    cycle = collection.cycle_open(actor=users["gx_province"], province=guangxi, year=2025,
                                  due_on=date(2025, 12, 31))
    collection.cycle_open(actor=users["sh_province"], province=shanghai, year=2025, due_on=date(2025, 12, 31))
    submission = cycle.submissions.get(county_id="450110")
    collection.submission_submit(actor=users["wm_county"], submission=submission)
    collection.submission_return(actor=users["nn_city"], submission=submission,
                                 comment="双桥有机蔬菜基地面积与土地流转合同不一致，请核实后重新报送")
    collection.submission_submit(actor=users["wm_county"], submission=submission)
    collection.submission_review(actor=users["nn_city"], submission=submission, comment="复核无误")
    # Counties without an agency of their own: their city submits (隆安, waiting for the province's
    # review); where the city has none either, the province submits and reviews (鹿寨, 临桂, 右江).
    collection.submission_submit(actor=users["nn_city"], submission=cycle.submissions.get(county_id="450123"))
    for county in ("450223", "450312", "451002"):
        submission = cycle.submissions.get(county_id=county)
        collection.submission_submit(actor=users["gx_province"], submission=submission)
        collection.submission_review(actor=users["gx_province"], submission=submission, comment="复核无误")
