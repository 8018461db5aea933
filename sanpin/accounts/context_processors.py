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


CERTIFICATES = _("证书与登记")
SUPERVISION = _("证后监管")
STATISTICS = _("统计")
BASE_DATA = _("基础数据")


NAV_ITEMS = [
    NavItem(_("工作台"), "accounts:home", frozenset()),
    NavItem(_("我的待办"), "certification:tasks",
            REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.EXPERT, Role.LAB, Role.APPLICANT}),
    NavItem(_("申请"), "certification:list",
            REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.EXPERT, Role.LAB, Role.APPLICANT}),
    NavItem(_("本单位信息"), "catalog:my_entity", ENTITY_ROLES),
    NavItem(_("证书/使用证"), "certificates:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT},
            CERTIFICATES),
    NavItem(_("地理标志"), "gi:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}, CERTIFICATES),
    NavItem(_("名特优新"), "featured:list", REVIEW_STAFF_ROLES | {Role.APPLICANT}, CERTIFICATES),
    NavItem(_("合格证"), "compliance:list", REVIEW_STAFF_ROLES | {Role.APPLICANT, Role.PURCHASER}, CERTIFICATES),
    NavItem(_("GAP 认证"), "gap:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}, CERTIFICATES),
    NavItem(_("整改"), "supervision:rectifications", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT},
            SUPERVISION),
    NavItem(_("取消标志使用权"), "supervision:revocations", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT},
            SUPERVISION),
    NavItem(_("年度检查"), "inspections:plans", REVIEW_STAFF_ROLES | {Role.INSPECTOR}, SUPERVISION),
    NavItem(_("产品抽检"), "sampling:home", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.LAB}, SUPERVISION),
    NavItem(_("监督检查"), "oversight:home", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}, SUPERVISION),
    NavItem(_("检测机构监管"), "workforce:labs", NATIONAL_ROLES, SUPERVISION),
    NavItem(_("人员与绩效"), "workforce:people", NATIONAL_ROLES | {Role.PROVINCIAL_REVIEWER}, SUPERVISION),
    NavItem(_("审核质量"), "stats:review_quality", REVIEW_STAFF_ROLES | {Role.INSPECTOR}, STATISTICS),
    NavItem(_("申请人/主体"), "catalog:entity_list", REVIEW_STAFF_ROLES | {Role.INSPECTOR}, BASE_DATA),
    NavItem(_("我的订阅"), "subscriptions:list", STAFF_ROLES | {Role.PURCHASER, Role.BANK}, BASE_DATA),
    NavItem(_("行政区划"), "catalog:region_list", STAFF_ROLES, BASE_DATA),
    NavItem(_("工作日历"), "core:calendar", STAFF_ROLES, BASE_DATA),
    NavItem(_("存量数据导入"), "records_import:upload", NATIONAL_ROLES, BASE_DATA),
    NavItem(_("审计日志"), "core:audit_list", NATIONAL_ROLES, BASE_DATA),
    NavItem(_("追溯平台推送"), "traceability:outbox", frozenset({Role.SYSTEM_ADMIN}), BASE_DATA),
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
