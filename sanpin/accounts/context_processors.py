"""The navigation bar: the pages each role works with, in the order they use them."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .choices import ENTITY_ROLES, NATIONAL_ROLES, REVIEW_STAFF_ROLES, STAFF_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset  # empty: every signed-in user


NAV_ITEMS = [
    NavItem(_("工作台"), "accounts:home", frozenset()),
    NavItem(_("我的待办"), "certification:tasks",
            REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.EXPERT, Role.LAB, Role.APPLICANT}),
    NavItem(_("申请"), "certification:list",
            REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.EXPERT, Role.LAB, Role.APPLICANT}),
    NavItem(_("申请人/主体"), "catalog:entity_list", REVIEW_STAFF_ROLES | {Role.INSPECTOR}),
    NavItem(_("本单位信息"), "catalog:my_entity", ENTITY_ROLES),
    NavItem(_("证书/使用证"), "certificates:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}),
    NavItem(_("地理标志"), "gi:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}),
    NavItem(_("GAP 认证"), "gap:list", REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}),
    NavItem(_("审核质量"), "stats:review_quality", REVIEW_STAFF_ROLES | {Role.INSPECTOR}),
    NavItem(_("我的订阅"), "subscriptions:list", STAFF_ROLES | {Role.PURCHASER, Role.BANK}),
    NavItem(_("行政区划"), "catalog:region_list", STAFF_ROLES),
    NavItem(_("工作日历"), "core:calendar", STAFF_ROLES),
    NavItem(_("存量数据导入"), "records_import:upload", NATIONAL_ROLES),
    NavItem(_("审计日志"), "core:audit_list", NATIONAL_ROLES),
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
            "label": item.label, "url": url, "url_name": item.url_name,
            "active": path.startswith(url) and url != "/",
        })
    return items


def navigation(request):
    return {"nav_items": nav_items_for(request.user, request.path)}
