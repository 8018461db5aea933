"""The navigation bar: the pages each role works with, in the order they use them, grouped into
menus so that the bar stays on one line however many modules a role can reach."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .choices import ENTITY_ROLES, NATIONAL_ROLES, REVIEW_STAFF_ROLES, STAFF_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset  # empty: every signed-in user
    group: str = ""  # a menu of the bar; empty: a link of its own
    icon: str = "bi-box-arrow-up-right"  # the workbench card's icon
    hint: str = ""  # the workbench card's one-line description


CERTIFICATES = _("证书与登记")
SUPERVISION = _("证后监管")
BASES = _("基地与标准")
STATISTICS = _("统计")
MARKET = _("产销对接")
BASE_DATA = _("基础数据")


NAV_ITEMS = [
    NavItem(_("工作台"), "accounts:home", frozenset()),
    NavItem(_("我的待办"), "certification:tasks",
            REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.EXPERT, Role.LAB, Role.APPLICANT},
            icon="bi-list-check", hint=_("等待我办理的审核环节，按截止日排列，临近和超期标色")),
    NavItem(_("申请"), "certification:list",
            REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.EXPERT, Role.LAB, Role.APPLICANT},
            icon="bi-folder2-open", hint=_("认证申请：受理、审核、补正、整改和颁证的全过程")),
    NavItem(_("本单位信息"), "catalog:my_entity", ENTITY_ROLES,
            icon="bi-building", hint=_("本单位的登记信息、联系人和注册商标")),
    NavItem(_("我的信用"), "credit:mine", frozenset({Role.APPLICANT}),
            icon="bi-shield-check", hint=_("本单位信用分与等级及其依据，授权金融机构查询信用报告并查看查询记录")),
    NavItem(_("信用报告查询"), "credit:bank", frozenset({Role.BANK}),
            icon="bi-bank", hint=_("已授权本机构的主体信用报告：网页查看和 PDF 下载，查询均留痕")),
    NavItem(_("证书/使用证"), "certificates:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT},
            CERTIFICATES,
            icon="bi-patch-check", hint=_("证书和使用证：有效期、状态变化及导出")),
    NavItem(_("地理标志"), "gi:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}, CERTIFICATES,
            icon="bi-geo-alt", hint=_("农产品地理标志登记、用标授权和品质数据")),
    NavItem(_("名特优新"), "featured:list", REVIEW_STAFF_ROLES | {Role.APPLICANT}, CERTIFICATES,
            icon="bi-award", hint=_("全国名特优新农产品名录：年度确认、品质检测和营养品质评价")),
    NavItem(_("合格证"), "compliance:list", REVIEW_STAFF_ROLES | {Role.APPLICANT, Role.PURCHASER}, CERTIFICATES,
            icon="bi-qr-code", hint=_("承诺达标合格证：开具、收证、分装重开、打印标签和扫码追溯")),
    NavItem(_("GAP 认证"), "gap:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}, CERTIFICATES,
            icon="bi-clipboard-check", hint=_("第三方良好农业规范认证证书登记")),
    NavItem(_("基地目录"), "bases:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}, BASES,
            icon="bi-map", hint=_("优质农产品生产基地：录入、验收复核、纳入目录、年度检查和移出")),
    NavItem(_("基地信息采集"), "bases:collection", REVIEW_STAFF_ROLES, BASES,
            icon="bi-inbox", hint=_("县级全年填报基地信息，市级复核或退回，按年度查看各县报送状态")),
    NavItem(_("基地批量导入"), "bases:import", REVIEW_STAFF_ROLES, BASES,
            icon="bi-file-earmark-spreadsheet", hint=_("下载模板、试运行校验、整批导入基地信息并查看被拒行")),
    NavItem(_("基地生产规模占比"), "bases:share", REVIEW_STAFF_ROLES, BASES,
            icon="bi-pie-chart", hint=_("各市基地生产规模占食用农产品生产总量的比重与目标对比，按市导出")),
    NavItem(_("整改"), "supervision:rectifications", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT},
            SUPERVISION,
            icon="bi-tools", hint=_("整改决定、整改报告和审核，逾期未整改报请取消")),
    NavItem(_("取消标志使用权"), "supervision:revocations", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT},
            SUPERVISION,
            icon="bi-x-octagon", hint=_("取消标志使用权的报请、决定、公告和收回证书")),
    NavItem(_("年度检查"), "inspections:plans", REVIEW_STAFF_ROLES | {Role.INSPECTOR}, SUPERVISION,
            icon="bi-calendar-check", hint=_("年度检查计划、检查记录和覆盖率")),
    NavItem(_("产品抽检"), "sampling:home", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.LAB}, SUPERVISION,
            icon="bi-eyedropper", hint=_("抽检计划、随机抽取、检测任务与报告、合格率")),
    NavItem(_("监督检查"), "oversight:home", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}, SUPERVISION,
            icon="bi-binoculars", hint=_("风险监测、飞行检查、用标监察、包装标签备案和投诉举报")),
    NavItem(_("信用档案"), "credit:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR}, SUPERVISION,
            icon="bi-shield-check", hint=_("主体信用分与等级、扣分加分明细、人工录入信用事件和信用评价规则")),
    NavItem(_("检测机构监管"), "workforce:labs", NATIONAL_ROLES, SUPERVISION,
            icon="bi-building-check", hint=_("检测机构能力验证和飞行检查，不合格暂停委托")),
    NavItem(_("人员与绩效"), "workforce:people", NATIONAL_ROLES | {Role.PROVINCIAL_REVIEWER}, SUPERVISION,
            icon="bi-people", hint=_("检查员、监管员和内检员的培训记录与年度绩效")),
    NavItem(_("供应信息"), "market:index", frozenset({Role.PURCHASER}), MARKET,
            icon="bi-shop", hint=_("获证产品的供应信息：按产品、标志、地区和供应期查找，查看联系方式并询价")),
    NavItem(_("我的询价"), "market:my_inquiries", frozenset({Role.PURCHASER}), MARKET,
            icon="bi-chat-left-text", hint=_("本单位发出的询价及获证主体的答复")),
    NavItem(_("采购商信息"), "market:buyer_profile", frozenset({Role.PURCHASER}), MARKET,
            icon="bi-person-vcard", hint=_("采购商类型、采购品类和服务地区，可选择列入经销商名录")),
    NavItem(_("我的供应信息"), "market:my_listings", frozenset({Role.APPLICANT}), MARKET,
            icon="bi-shop", hint=_("发布有效证书产品的供应信息；证书失效时自动下架")),
    NavItem(_("询价收件箱"), "market:inbox", frozenset({Role.APPLICANT}), MARKET,
            icon="bi-inbox", hint=_("采购商对本单位供应信息的询价，逐条答复")),
    NavItem(_("我的参展"), "promotion:mine", frozenset({Role.APPLICANT}), MARKET,
            icon="bi-easel", hint=_("报名展会和宣传推介活动，查看审核结果和证书核查提示")),
    NavItem(_("供应信息管理"), "market:staff_listings", REVIEW_STAFF_ROLES, MARKET,
            icon="bi-shop", hint=_("本辖区获证主体发布的供应信息，违规信息下架")),
    NavItem(_("展会与推介活动"), "promotion:manage_events", REVIEW_STAFF_ROLES, MARKET,
            icon="bi-easel", hint=_("绿博会、有机博览会、地标专展、宣传月和推介活动：报名审核、展前证书核查和成效")),
    NavItem(_("销售专区专柜"), "promotion:outlets", REVIEW_STAFF_ROLES, MARKET,
            icon="bi-shop-window", hint=_("“十百千万”工程的市场专区和商超专柜，按区统计并对照目标")),
    NavItem(_("推广专员"), "promotion:specialists", REVIEW_STAFF_ROLES, MARKET,
            icon="bi-person-badge", hint=_("绿色有机地标农产品推广专员及其培训记录")),
    NavItem(_("品鉴评优名单"), "promotion:manage_awards", REVIEW_STAFF_ROLES, MARKET,
            icon="bi-trophy", hint=_("品鉴评优获奖产品名单：关联有效证书后发布")),
    NavItem(_("我收到的标准规程"), "knowledge:mine", frozenset({Role.APPLICANT}), BASES,
            icon="bi-journal-text", hint=_("本单位和基地收到的标准、操作规程、明白纸及参加的培训")),
    NavItem(_("标准规程库"), "knowledge:manage", REVIEW_STAFF_ROLES, BASES,
            icon="bi-journal-text", hint=_("标准和区域性生产操作规程、明白纸：登记、发布和废止")),
    NavItem(_("发放登记"), "knowledge:distributions", REVIEW_STAFF_ROLES, BASES,
            icon="bi-send-check", hint=_("标准规程发放到企业和基地的记录，可一次登记多家")),
    NavItem(_("培训与入户指导"), "knowledge:trainings", REVIEW_STAFF_ROLES, BASES,
            icon="bi-person-video3", hint=_("内检员培训班、宣讲和入户指导及参加的企业和基地")),
    NavItem(_("进企入户覆盖"), "knowledge:coverage", REVIEW_STAFF_ROLES, BASES,
            icon="bi-pie-chart", hint=_("各地区获证主体和基地收到标准规程、参加培训的覆盖率，逐级下钻")),
    NavItem(_("可用投入品清单"), "inputs:lists", STAFF_ROLES, BASES,
            icon="bi-list-check", hint=_("绿色食品可用农药等投入品清单及农药残留限量：版本、导入和发布")),
    NavItem(_("审核质量"), "stats:review_quality", REVIEW_STAFF_ROLES | {Role.INSPECTOR}, STATISTICS,
            icon="bi-graph-up", hint=_("一次性通过率、续展率和各机构审核时效")),
    NavItem(_("发展目标"), "stats:targets", REVIEW_STAFF_ROLES | {Role.INSPECTOR}, STATISTICS,
            icon="bi-bullseye", hint=_("各地区年度目标与 12 月 31 日有效产品数、完成率，填报和导入目标")),
    NavItem(_("统计看板"), "stats:dashboard", REVIEW_STAFF_ROLES | {Role.INSPECTOR}, STATISTICS,
            icon="bi-bar-chart-line", hint=_("分地区指标、趋势、排名、地图和信用等级，逐级下钻，图表导出 Excel")),
    NavItem(_("统计年报"), "stats:annual_report", REVIEW_STAFF_ROLES | {Role.INSPECTOR}, STATISTICS,
            icon="bi-file-earmark-spreadsheet", hint=_("按年度和区划下载统计年报工作簿，可按月度冻结快照重现")),
    NavItem(_("申请人/主体"), "catalog:entity_list", REVIEW_STAFF_ROLES | {Role.INSPECTOR}, BASE_DATA,
            icon="bi-buildings", hint=_("查看和维护本辖区的申请人与生产经营主体")),
    NavItem(_("我的订阅"), "subscriptions:list", STAFF_ROLES | {Role.PURCHASER, Role.BANK}, BASE_DATA,
            icon="bi-bell", hint=_("关注主体或证书，状态变化时站内、邮件或接口推送")),
    NavItem(_("行政区划"), "catalog:region_list", STAFF_ROLES, BASE_DATA,
            icon="bi-map", hint=_("行政区划及脱贫县、重点帮扶县标识")),
    NavItem(_("工作日历"), "core:calendar", STAFF_ROLES, BASE_DATA,
            icon="bi-calendar3", hint=_("法定节假日与调休安排，审查时限按工作日计算")),
    NavItem(_("存量数据导入"), "records_import:upload", NATIONAL_ROLES, BASE_DATA,
            icon="bi-upload", hint=_("导入既有主体、证书和档案材料：先校验，再全部导入")),
    NavItem(_("审计日志"), "core:audit_list", NATIONAL_ROLES, BASE_DATA,
            icon="bi-journal-check", hint=_("全部操作记录及防篡改校验")),
    NavItem(_("追溯平台推送"), "traceability:outbox", frozenset({Role.SYSTEM_ADMIN}), BASE_DATA,
            icon="bi-send", hint=_("推送国家追溯平台的证书事件：失败重发")),
]


def nav_items_for(user, path=""):
    if not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if item.roles and not (user.roles & item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # an app not installed in this deployment; test_navigation guards it
            continue
        items.append({
            "label": item.label, "url": url, "url_name": item.url_name, "group": item.group,
            "icon": item.icon, "hint": item.hint,
            "active": path.startswith(url) and url != "/",
        })
    return items


def nav_bar(items) -> list[dict]:
    """Links and menus in the order of their first item; a menu with one link is shown as the link."""
    bar, menus = [], {}
    for item in items:
        if not item["group"]:
            bar.append(item)
            continue
        menu = menus.get(item["group"])
        if menu is None:
            menu = menus[item["group"]] = {"label": item["group"], "children": [], "active": False}
            bar.append(menu)
        menu["children"].append(item)
        menu["active"] = menu["active"] or item["active"]
    return [entry["children"][0] if "children" in entry and len(entry["children"]) == 1 else entry for entry in bar]


def navigation(request):
    items = nav_items_for(request.user, request.path)
    return {"nav_items": items, "nav_bar": nav_bar(items)}
