"""Demo data: the agencies, the demo accounts of API.md and a realistic set of organisations in
Guangxi and Shanghai, so that every page has something true-to-life to show.

Everything is fictional and fixed (no randomness): names, people, phone numbers and the
organisation-code part of each USCC are made up; the check characters are computed, so the codes
pass validation. Loading is idempotent: a row that already exists (same agency name, username,
USCC, qualification number or trademark registration number) is left as it is, so a second run
writes nothing. Everything is created through the services, with the SYSTEM user as actor.

Fee-waiver flags are set only where they are known to be true: the eight Guangxi counties that
exited poverty in November 2020 and are national key-assistance counties.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from stdnum.cn import uscc as stdnum_uscc

from sanpin.catalog import services as catalog_services
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region

from .choices import AgencyLevel, DesignationScheme, ExpertSpecialty, LabTest, QualificationKind, Role
from .models import Agency, ExpertProfile, InspectorQualification, LabDesignation, RoleAssignment, User
from .registries import expert_profile_save, lab_designation_create
from .services import agency_create, qualification_add, role_grant, user_create

DEMO_PASSWORD = "sanpin-demo"  # noqa: S105 - the published demo password (API.md)

# --- agencies -------------------------------------------------------------------------------------

NATIONAL = "中国绿色食品发展中心"
GX_STATION = "广西壮族自治区绿色食品发展站"
SH_CENTRE = "上海市农产品质量安全中心"
NN_BUREAU = "南宁市农业农村局"

# (name, level, region code, parent name): parents before children.
AGENCIES = [
    (NATIONAL, AgencyLevel.NATIONAL, None, None),
    (GX_STATION, AgencyLevel.PROVINCE, "450000", NATIONAL),
    (SH_CENTRE, AgencyLevel.PROVINCE, "310000", NATIONAL),
    (NN_BUREAU, AgencyLevel.CITY, "450100", GX_STATION),
    ("南宁市武鸣区农业农村局", AgencyLevel.COUNTY, "450110", NN_BUREAU),
    ("横州市农业农村局", AgencyLevel.COUNTY, "450181", NN_BUREAU),
    ("隆林各族自治县农业农村局", AgencyLevel.COUNTY, "451031", GX_STATION),
    ("融水苗族自治县农业农村局", AgencyLevel.COUNTY, "450225", GX_STATION),
]

# --- organisations -----------------------------------------------------------------------------------

# The registration-authority and type digits of a USCC (GB 32100): 9x market regulation
# (1 enterprise, 2 individual business, 3 farmers' cooperative), 51 civil-affairs social group.
USCC_PREFIX = {
    EntityKind.ENTERPRISE: "91",
    EntityKind.INPUT_MANUFACTURER: "91",
    EntityKind.PURCHASER: "91",
    EntityKind.LAB: "91",
    EntityKind.BANK: "91",
    EntityKind.COOPERATIVE: "93",
    EntityKind.FAMILY_FARM: "92",
    EntityKind.ASSOCIATION: "51",
}


@dataclass(frozen=True)
class DemoEntity:
    key: str
    name: str
    kind: str
    county: str
    street: str
    legal_representative: str
    contact_name: str
    contact_phone: str
    trademarks: tuple = ()  # (name, registration number, Nice class)


E = EntityKind
ENTITIES = [
    # Nanning
    DemoEntity("gx_applicant", "广西邕绿农业科技有限公司", E.ENTERPRISE, "450110", "城厢镇香山路18号",
               "韦国栋", "覃海燕", "0771-6210318", (("邕绿", "52730118", 31),)),
    DemoEntity("wuming_citrus", "南宁市武鸣区双桥沃柑种植专业合作社", E.COOPERATIVE, "450110", "双桥镇伏林村",
               "黄永强", "黄丽芳", "0771-6330472"),
    DemoEntity("hengzhou_tea", "横州市茉香茶业有限公司", E.ENTERPRISE, "450181", "横州镇茉莉花大道66号",
               "黄德明", "黄小娟", "0771-7220566", (("茉香源", "41860527", 30),)),
    DemoEntity("hengzhou_jasmine", "横州市校椅镇茉莉花种植专业合作社", E.COOPERATIVE, "450181", "校椅镇石井村",
               "梁有才", "梁美兰", "0771-7310821"),
    DemoEntity("longan_banana", "隆安县那桐香蕉种植专业合作社", E.COOPERATIVE, "450123", "那桐镇定江村",
               "陆春生", "陆丽华", "0771-6520433"),
    DemoEntity("mashan_goat", "马山县古零黑山羊养殖专业合作社", E.COOPERATIVE, "450124", "古零镇乔老村",
               "蓝建新", "蓝秀英", "0771-6820917"),
    DemoEntity("shanglin_farm", "上林县大丰镇韦记家庭农场", E.FAMILY_FARM, "450125", "大丰镇云姚村",
               "韦明光", "韦明光", "0771-5220146"),
    DemoEntity("binyang_rice", "宾阳县稻香优质米加工有限公司", E.ENTERPRISE, "450126", "宾州镇工业园区稻香路3号",
               "罗振华", "罗小梅", "0771-8260372"),
    DemoEntity("xixiangtang_farm", "南宁市西乡塘区金穗家庭农场", E.FAMILY_FARM, "450107", "坛洛镇上正村",
               "何金穗", "何金穗", "0771-3080215"),
    DemoEntity("fertiliser", "广西绿护生物肥料有限公司", E.INPUT_MANUFACTURER, "450108", "大塘镇生态工业园8号",
               "张卫东", "刘思琪", "0771-4560809", (("绿护", "36925814", 1),)),
    DemoEntity("lab", "广西桂标农产品检测技术有限公司", E.LAB, "450103", "民族大道现代农业科技园B栋",
               "陈伟", "梁晓雯", "0771-5580621"),
    DemoEntity("buyer", "南宁邕江农副产品批发市场有限公司", E.PURCHASER, "450105", "壮锦大道农批路1号",
               "莫国强", "莫家宝", "0771-4880166"),
    DemoEntity("bank", "南宁桂惠农村商业银行股份有限公司", E.BANK, "450102", "朝阳路桂惠大厦",
               "周立新", "周雅琴", "0771-2690588"),
    # Liuzhou
    DemoEntity("rongshui_mushroom", "融水苗族自治县元宝山香菇种植专业合作社", E.COOPERATIVE, "450225",
               "融水镇元宝路12号", "贾石生", "贾春梅", "0772-5120389"),
    DemoEntity("sanjiang_tea", "三江侗族自治县侗乡春茶业有限公司", E.ENTERPRISE, "450226", "古宜镇侗乡大道28号",
               "吴培林", "吴秋菊", "0772-8610452", (("侗乡春", "38615290", 30),)),
    DemoEntity("liucheng_farm", "柳城县蔗香家庭农场", E.FAMILY_FARM, "450222", "大埔镇龙美村",
               "覃富强", "覃富强", "0772-7610283"),
    DemoEntity("luzhai_pomelo", "鹿寨县青山蜜柚种植专业合作社", E.COOPERATIVE, "450223", "黄冕镇青山村",
               "潘振邦", "潘小燕", "0772-6810764"),
    # Guilin
    DemoEntity("lingui_luohanguo", "桂林漓韵罗汉果食品有限公司", E.ENTERPRISE, "450312", "两江镇罗汉果产业园6号",
               "唐志远", "唐佳", "0773-5510927", (("漓韵", "47102835", 30),)),
    DemoEntity("gongcheng_persimmon", "恭城瑶族自治县月柿种植专业合作社", E.COOPERATIVE, "450332", "莲花镇红岩村",
               "盘文贵", "盘月娥", "0773-8210537"),
    DemoEntity("lipu_taro", "荔浦市芋香食品有限公司", E.ENTERPRISE, "450381", "荔城镇工业集中区芋香路9号",
               "莫树林", "莫晓玲", "0773-7220681"),
    DemoEntity("yangshuo_kumquat", "阳朔县金桔家庭农场", E.FAMILY_FARM, "450321", "金宝乡大水田村",
               "黎国平", "黎国平", "0773-8850146"),
    DemoEntity("quanzhou_fish", "全州县禾花鱼生态养殖专业合作社", E.COOPERATIVE, "450324", "咸水镇洛江村",
               "蒋立成", "蒋桂花", "0773-4810259"),
    # Wuzhou, Beihai, Qinzhou, Yulin
    DemoEntity("cangwu_liubao", "苍梧县六堡镇茶农专业合作社", E.COOPERATIVE, "450421", "六堡镇合口街",
               "李炳坤", "李秀琴", "0774-2910366"),
    DemoEntity("hepu_seafood", "合浦县南珠海产品有限公司", E.ENTERPRISE, "450521", "廉州镇海角路25号",
               "杨海生", "杨小珍", "0779-7120478"),
    DemoEntity("lingshan_lychee", "灵山县荔乡荔枝种植专业合作社", E.COOPERATIVE, "450721", "新圩镇漂塘村",
               "劳永福", "劳美玲", "0777-6520193"),
    DemoEntity("rongxian_gi", "容县沙田柚产业协会", E.ASSOCIATION, "450921", "容州镇城南路88号",
               "封立明", "封玉霞", "0775-5320287"),
    # Baise
    DemoEntity("youjiang_mango", "百色市右江区芒果种植专业合作社", E.COOPERATIVE, "451002", "那毕乡大和村",
               "农光明", "农秀兰", "0776-2820354"),
    DemoEntity("tiandong_mango", "田东县香芒果业有限公司", E.ENTERPRISE, "451022", "平马镇芒果大道16号",
               "黄春林", "黄丽萍", "0776-5220618", (("香芒", "55218063", 31),)),
    DemoEntity("longlin_pig", "隆林各族自治县黑猪养殖专业合作社", E.COOPERATIVE, "451031", "新州镇委尧村",
               "杨金山", "杨秀芝", "0776-8210437"),
    DemoEntity("leye_kiwi", "乐业县猕猴桃种植专业合作社", E.COOPERATIVE, "451028", "同乐镇火卖村",
               "罗德福", "罗小芬", "0776-7920385"),
    DemoEntity("lingyun_tea", "凌云县白毫茶业有限公司", E.ENTERPRISE, "451027", "泗城镇茶山路5号",
               "岑建华", "岑美玉", "0776-7610279"),
    DemoEntity("napo_oil", "那坡县山茶油家庭农场", E.FAMILY_FARM, "451026", "城厢镇达腊村",
               "马文高", "马文高", "0776-6820148"),
    DemoEntity("tianlin_bamboo", "田林县八渡笋食品有限公司", E.ENTERPRISE, "451029", "乐里镇八渡路3号",
               "黄开明", "黄晓梅", "0776-7210562"),
    # Hechi, Hezhou, Chongzuo
    DemoEntity("duan_goat", "都安瑶族自治县山羊养殖专业合作社", E.COOPERATIVE, "451228", "安阳镇福龙村",
               "韦金元", "韦桂英", "0778-5210436"),
    DemoEntity("dahua_chicken", "大化瑶族自治县七百弄鸡养殖家庭农场", E.FAMILY_FARM, "451229", "七百弄乡弄合村",
               "蓝明德", "蓝明德", "0778-5810293"),
    DemoEntity("luocheng_wine", "罗城仫佬族自治县毛葡萄酒业有限公司", E.ENTERPRISE, "451225", "东门镇城西路21号",
               "银振华", "银小红", "0778-8210651"),
    DemoEntity("bama_pig", "巴马瑶族自治县长寿香猪养殖有限公司", E.ENTERPRISE, "451227", "巴马镇寿乡大道45号",
               "黄永寿", "黄凤兰", "0778-6210728"),
    DemoEntity("fuchuan_orange", "富川瑶族自治县脐橙种植专业合作社", E.COOPERATIVE, "451123", "富阳镇新华村",
               "毛建军", "毛春燕", "0774-7810392"),
    DemoEntity("daxin_tea", "大新县苦丁茶业有限公司", E.ENTERPRISE, "451424", "桃城镇苦丁茶路2号",
               "农振宇", "农丽娟", "0771-3620517"),
    # Shanghai
    DemoEntity("sh_applicant", "上海浦江源生态农业有限公司", E.ENTERPRISE, "310118", "练塘镇浦江源路168号",
               "顾建平", "陆文斌", "021-59210368", (("浦江源", "50913726", 31),)),
    DemoEntity("chongming_farm", "上海市崇明区禾韵家庭农场", E.FAMILY_FARM, "310151", "竖新镇前卫村",
               "施永明", "施永明", "021-59310245"),
    DemoEntity("songjiang_farm", "上海市松江区泖田家庭农场", E.FAMILY_FARM, "310117", "泖港镇新建村",
               "朱建华", "朱建华", "021-57860193"),
    DemoEntity("jinshan_fruit", "上海市金山区吕巷水果专业合作社", E.COOPERATIVE, "310116", "吕巷镇龙跃路",
               "张福林", "张美琴", "021-57380264"),
    DemoEntity("fengxian_peach", "上海市奉贤区金汇黄桃专业合作社", E.COOPERATIVE, "310120", "金汇镇齐贤村",
               "沈国良", "沈丽娟", "021-57520347"),
    DemoEntity("pudong_peach", "上海市浦东新区南汇水蜜桃种植专业合作社", E.COOPERATIVE, "310115", "新场镇果园村",
               "倪建忠", "倪秀芳", "021-58170426"),
]

# --- people ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    roles: tuple
    agency: str | None = None
    entity: str | None = None  # key in ENTITIES
    superuser: bool = False


USERS = [
    DemoUser("admin", "系统管理员", (Role.SYSTEM_ADMIN,), agency=NATIONAL, superuser=True),
    DemoUser("national", "陈立华", (Role.NATIONAL_REVIEWER,), agency=NATIONAL),
    DemoUser("gx_province", "韦丽萍", (Role.PROVINCIAL_REVIEWER,), agency=GX_STATION),
    DemoUser("sh_province", "沈佳怡", (Role.PROVINCIAL_REVIEWER,), agency=SH_CENTRE),
    DemoUser("nn_city", "黄志强", (Role.LOCAL_STAFF,), agency=NN_BUREAU),
    DemoUser("wm_county", "梁振宇", (Role.LOCAL_STAFF,), agency="南宁市武鸣区农业农村局"),
    DemoUser("inspector", "蒙永福", (Role.INSPECTOR,), agency=GX_STATION),
    DemoUser("expert", "李明哲", (Role.EXPERT,)),
    DemoUser("expert2", "周慧敏", (Role.EXPERT,)),
    DemoUser("expert3", "覃志刚", (Role.EXPERT,)),
    DemoUser("gx_applicant", "覃海燕", (Role.APPLICANT,), entity="gx_applicant"),
    DemoUser("sh_applicant", "陆文斌", (Role.APPLICANT,), entity="sh_applicant"),
    DemoUser("lab", "梁晓雯", (Role.LAB,), entity="lab"),
    DemoUser("buyer", "莫家宝", (Role.PURCHASER,), entity="buyer"),
    DemoUser("bank", "周雅琴", (Role.BANK,), entity="bank"),
]

# (username, kind, certificate number, province): valid for three years from the day of loading.
QUALIFICATIONS = [
    ("inspector", QualificationKind.GREEN_INPUTS_ADMIN, "LZGL-450000-0001", "450000"),
    ("inspector", QualificationKind.GREEN_FOOD_INSPECTOR, "LSJC-450000-0001", "450000"),
    ("inspector", QualificationKind.ORGANIC_INSPECTOR, "YJJC-450000-0001", "450000"),
]

# The expert pool: three experts who can all sit on a green-input fertiliser or pesticide panel
# and on a green-food crops panel (both schemes draw three), living away from the demo input manufacturer's county.
# (username, specialties, title, organisation, home county)
EXPERTS = [
    ("expert", (ExpertSpecialty.FERTILIZER, ExpertSpecialty.PESTICIDE, ExpertSpecialty.CROPS), "研究员",
     "广西农业科学院植物保护研究所", "450103"),
    ("expert2", (ExpertSpecialty.FERTILIZER, ExpertSpecialty.FEED, ExpertSpecialty.OTHER, ExpertSpecialty.CROPS),
     "教授", "广西大学农学院", "450107"),
    ("expert3", (ExpertSpecialty.FERTILIZER, ExpertSpecialty.PESTICIDE, ExpertSpecialty.VETERINARY_DRUG,
                 ExpertSpecialty.CROPS), "高级农艺师", "上海市农业技术推广服务中心", "310118"),
]

# The demo lab's designations: for green production inputs the special tests of [004 §11(3)]; for
# green food the product test and the environment monitoring (绿色食品标志管理办法 Art. 13).
LAB_DESIGNATIONS = (
    ("lab", DesignationScheme.GREEN_INPUTS,
     (LabTest.ROUTINE, LabTest.HEAVY_METALS, LabTest.PESTICIDE_RESIDUES, LabTest.BANNED_SUBSTANCES,
      LabTest.MICROBIOLOGY, LabTest.NUTRIENT_CONTENT),
     "绿色食品生产资料定点检测机构指定通知"),
    ("lab", DesignationScheme.GREEN_FOOD,
     (LabTest.ROUTINE, LabTest.ENVIRONMENT, LabTest.PESTICIDE_RESIDUES, LabTest.HEAVY_METALS),
     "绿色食品定点检测机构名单"),
    ("lab", DesignationScheme.ORGANIC,
     (LabTest.ROUTINE, LabTest.PESTICIDE_RESIDUES, LabTest.BANNED_SUBSTANCES, LabTest.HEAVY_METALS),
     "有机产品认证检测机构名单"),
)

# --- fee-waiver flags ----------------------------------------------------------------------------------

FLAGS_SOURCE = "广西壮族自治区人民政府2020年11月20日公告；国家乡村振兴重点帮扶县名单（2021）"
# Exited poverty in 2020 and national key-assistance counties: 隆林, 乐业, 那坡, 罗城, 融水, 三江, 都安, 大化.
WAIVER_COUNTIES = ["451031", "451028", "451026", "451225", "450225", "450226", "451228", "451229"]
POVERTY_EXIT_YEAR = 2020


def required_region_codes() -> set[str]:
    codes = {code for _n, _l, code, _p in AGENCIES if code}
    codes |= {entity.county for entity in ENTITIES}
    codes |= {province for *_rest, province in QUALIFICATIONS}
    codes |= set(WAIVER_COUNTIES)
    codes |= {home for *_rest, home in EXPERTS}
    return codes


# --- USCC ------------------------------------------------------------------------------------------------

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code(body8: str) -> str:
    """A 9-character organisation code (GB 11714): 8 characters and their check character."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def demo_uscc(index: int, kind: str, county: str) -> str:
    """A fixed, valid USCC for the index-th demo organisation."""
    body = USCC_PREFIX[kind] + county + _org_code(f"MA{index + 1:06d}")
    return body + stdnum_uscc.calc_check_digit(body)


def _address(region: Region, street: str) -> str:
    return "".join(r.name for r in [*region.ancestors(), region]) + street


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- loading ---------------------------------------------------------------------------------------------


class MissingRegions(Exception):
    """The region tree has not been loaded (or lacks codes the demo uses)."""

    def __init__(self, codes):
        self.codes = sorted(codes)
        super().__init__(", ".join(self.codes))


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1):
        self.created[what] = self.created.get(what, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values())


@transaction.atomic
def load_demo(*, actor, today: datetime.date) -> DemoReport:
    """Create whatever of the demo data is missing; existing rows are left untouched."""
    codes = required_region_codes()
    regions = Region.objects.in_bulk(codes)
    missing = codes - set(regions)
    if missing:
        raise MissingRegions(missing)
    report = DemoReport()
    agencies = _load_agencies(actor, regions, report)
    entities = _load_entities(actor, regions, report)
    users = _load_users(actor, agencies, entities, report)
    _load_qualifications(actor, users, regions, today, report)
    _load_experts(actor, users, regions, report)
    _load_lab_designation(actor, entities, today, report)
    _load_waiver_flags(actor, regions, report)
    return report


def _load_agencies(actor, regions, report) -> dict[str, Agency]:
    agencies = {}
    for name, level, code, parent in AGENCIES:
        agency = Agency.objects.filter(name=name).first()
        if agency is None:
            agency = agency_create(
                actor=actor, name=name, level=level, region=regions[code] if code else None,
                parent=agencies.get(parent),
            )
            report.add("工作机构")
        agencies[name] = agency
    return agencies


def _load_entities(actor, regions, report) -> dict[str, Entity]:
    entities = {}
    for index, spec in enumerate(ENTITIES):
        uscc = demo_uscc(index, spec.kind, spec.county)
        entity = Entity.objects.filter(uscc=uscc).first()
        if entity is None:
            region = regions[spec.county]
            entity = catalog_services.entity_create(
                actor=actor, name=spec.name, uscc=uscc, kind=spec.kind, region=region,
                address=_address(region, spec.street), legal_representative=spec.legal_representative,
                contact_name=spec.contact_name, contact_phone=spec.contact_phone,
            )
            report.add("主体")
        for tm_name, registration_no, nice_class in spec.trademarks:
            if not entity.trademarks.filter(registration_no=registration_no).exists():
                catalog_services.trademark_add(
                    entity=entity, actor=actor, name=tm_name, registration_no=registration_no, nice_class=nice_class
                )
                report.add("注册商标")
        entities[spec.key] = entity
    return entities


def _load_users(actor, agencies, entities, report) -> dict[str, User]:
    users = {}
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(
                actor=actor, username=spec.username, password=DEMO_PASSWORD, display_name=spec.display_name,
                agency=agencies[spec.agency] if spec.agency else None,
                entity=entities[spec.entity] if spec.entity else None,
                is_superuser=spec.superuser,
            )
            report.add("用户")
        for role in spec.roles:
            if not RoleAssignment.objects.filter(user=user, role=role).exists():
                role_grant(actor=actor, user=user, role=role)
                report.add("角色")
        users[spec.username] = user
    return users


def _load_qualifications(actor, users, regions, today, report):
    for username, kind, number, province in QUALIFICATIONS:
        if InspectorQualification.objects.filter(number=number).exists():
            continue
        qualification_add(
            actor=actor, user=users[username], kind=kind, number=number, province=regions[province],
            valid_from=today, valid_until=_add_years(today, 3),
        )
        report.add("检查员资质")


def _load_experts(actor, users, regions, report):
    for username, specialties, title, organisation, home in EXPERTS:
        if ExpertProfile.objects.filter(user=users[username]).exists():
            continue
        expert_profile_save(actor=actor, user=users[username], specialties=list(specialties), title=title,
                            organisation=organisation, region=regions[home])
        report.add("评审专家")


def _load_lab_designation(actor, entities, today, report):
    for key, scheme, tests, basis in LAB_DESIGNATIONS:
        lab = entities[key]
        if LabDesignation.objects.filter(lab=lab, scheme=scheme).exists():
            continue
        lab_designation_create(actor=actor, lab=lab, scheme=scheme, tests=list(tests), basis=basis,
                               valid_from=today, valid_until=_add_years(today, 3))
        report.add("定点检测资格")


def _load_waiver_flags(actor, regions, report):
    """Only counties that carry no flags yet: a deliberate edit by an administrator stays."""
    for code in WAIVER_COUNTIES:
        region = regions[code]
        if region.poverty_exit_county or region.key_assistance_county or region.flags_source:
            continue
        catalog_services.region_update(
            region=region, actor=actor,
            data={"poverty_exit_county": True, "poverty_exit_year": POVERTY_EXIT_YEAR,
                  "key_assistance_county": True, "flags_source": FLAGS_SOURCE},
            reason="脱贫县及国家乡村振兴重点帮扶县标识",
        )
        report.add("减免标识")
