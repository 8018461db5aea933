"""Writes for accounts: agencies, users, roles, qualifications, second factors and API tokens.

Each service checks who may act, validates with Chinese messages per field and writes one audit
event in the same transaction as the change.
"""

import time
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from sanpin.core import audit
from sanpin.core.access import require_role
from sanpin.core.errors import ValidationFailed

from .choices import ENTITY_ROLES, AgencyLevel, QualificationKind, Role
from .models import Agency, InspectorQualification, RoleAssignment, User

TOTP_DEVICE_NAME = "动态验证码"

# Which agency levels may hold each agency-side role: a provincial reviewer works for a
# provincial station, city/county staff for a local bureau, and so on.
ROLE_AGENCY_LEVELS = {
    Role.NATIONAL_REVIEWER: {AgencyLevel.NATIONAL},
    Role.PROVINCIAL_REVIEWER: {AgencyLevel.PROVINCE},
    Role.LOCAL_STAFF: {AgencyLevel.CITY, AgencyLevel.COUNTY},
    Role.INSPECTOR: {AgencyLevel.NATIONAL, AgencyLevel.PROVINCE, AgencyLevel.CITY, AgencyLevel.COUNTY},
}


def _require_admin(actor) -> None:
    """Accounts and agencies are managed by system administrators or by the SYSTEM user
    (command-line imports)."""
    if getattr(actor, "is_system", False) or getattr(actor, "is_superuser", False):
        return
    require_role(actor, {Role.SYSTEM_ADMIN})


def _user_snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
        "email": user.email,
        "agency": user.agency_id,
        "entity": user.entity_id,
        "is_active": user.is_active,
        "is_superuser": user.is_superuser,
    }


# --- Agencies --------------------------------------------------------------------------------------

# County-level cities and districts sit at region level "county"; so do Shanghai's districts.
_REGION_LEVEL_OF = {AgencyLevel.PROVINCE: "province", AgencyLevel.CITY: "city", AgencyLevel.COUNTY: "county"}


@transaction.atomic
def agency_create(*, actor, name: str, level: str, region=None, parent=None, phone: str = "",
                  address: str = "") -> Agency:
    """Create a working agency. A national agency has no region; every other level needs one."""
    _require_admin(actor)
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写机构名称")
    elif Agency.objects.filter(name=name).exists():
        errors["name"] = _("已存在同名机构")
    if level not in AgencyLevel.values:
        errors["level"] = _("机构层级无效")
    elif level == AgencyLevel.NATIONAL and region is not None:
        errors["region"] = _("国家级机构不设行政区划")
    elif level != AgencyLevel.NATIONAL and region is None:
        errors["region"] = _("省、市、县级机构须指定行政区划")
    elif region is not None and level != AgencyLevel.NATIONAL and region.level != _REGION_LEVEL_OF[level]:
        errors["region"] = _("行政区划的层级与机构层级不一致")
    if errors:
        raise ValidationFailed(fields=errors)
    agency = Agency.objects.create(
        name=name, level=level, region=region, parent=parent, phone=phone, address=address
    )
    audit.record(
        actor=actor, verb="accounts.agency_create", target=agency,
        new={"name": name, "level": level, "region": region.pk if region else None,
             "parent": parent.pk if parent else None},
    )
    return agency



# --- Users and roles ------------------------------------------------------------------------------


@transaction.atomic
def user_create(*, actor, username: str, password: str, display_name: str, phone: str = "", email: str = "",
                agency: Agency | None = None, entity=None, is_superuser: bool = False) -> User:
    """Create a person who can sign in, attached to an agency (staff) or an entity (applicants,
    purchasers, labs, banks) or to neither (experts). Roles are granted with role_grant."""
    _require_admin(actor)
    errors = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = _("请填写用户名")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("该用户名已被使用")
    if not (display_name or "").strip():
        errors["display_name"] = _("请填写姓名")
    if agency is not None and entity is not None:
        errors["agency"] = _("用户只能属于一个工作机构或一个主体，不能同时属于两者")
    if is_superuser and not (getattr(actor, "is_system", False) or getattr(actor, "is_superuser", False)):
        errors["is_superuser"] = _("只有超级管理员可以创建超级管理员")
    candidate = User(username=username, display_name=display_name, email=email, phone=phone)
    try:
        validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationFailed(fields=errors)
    user = User(
        username=username, display_name=display_name.strip(), phone=phone, email=email,
        agency=agency, entity=entity, is_superuser=is_superuser, is_staff=is_superuser,
    )
    user.set_password(password)
    user.save()
    audit.record(actor=actor, verb="accounts.user_create", target=user, new=_user_snapshot(user))
    return user


@transaction.atomic
def user_update_profile(*, actor, user: User, display_name: str, phone: str) -> User:
    """A person edits their own name and phone number (the fields others see on records)."""
    if actor.pk != user.pk:
        _require_admin(actor)
    display_name = (display_name or "").strip()
    phone = (phone or "").strip()
    errors = {}
    if not display_name:
        errors["display_name"] = _("请填写姓名")
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        errors["phone"] = _("请填写 11 位手机号码")
    if errors:
        raise ValidationFailed(fields=errors)
    before = {"display_name": user.display_name, "phone": user.phone}
    after = {"display_name": display_name, "phone": phone}
    if before == after:
        return user
    user.display_name, user.phone = display_name, phone
    user.save(update_fields=["display_name", "phone"])
    old, new = audit.diff(before, after)
    audit.record(actor=actor, verb="accounts.user_update_profile", target=user, old=old, new=new)
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    """Set a new password (already checked against the validators by the form). The audit row
    notes the change, never the password."""
    if actor.pk != user.pk:
        _require_admin(actor)
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(fields={"new_password1": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, verb="accounts.user_set_password", target=user)
    return user


@transaction.atomic
def role_grant(*, actor, user: User, role: str) -> RoleAssignment:
    """Give a user a role. Roles that act for an organisation need the user's entity; agency
    roles need an agency of the matching level."""
    _require_admin(actor)
    if role not in Role.values:
        raise ValidationFailed(fields={"role": _("角色无效")})
    if role in ENTITY_ROLES and user.entity_id is None:
        raise ValidationFailed(fields={"role": _("该角色须先为用户指定所属主体")})
    levels = ROLE_AGENCY_LEVELS.get(role)
    if levels is not None and (user.agency_id is None or user.agency.level not in levels):
        raise ValidationFailed(fields={"role": _("该角色须属于相应层级的工作机构")})
    if RoleAssignment.objects.filter(user=user, role=role).exists():
        raise ValidationFailed(fields={"role": _("该用户已有此角色")})
    assignment = RoleAssignment.objects.create(user=user, role=role)
    user.__dict__.pop("roles", None)
    audit.record(actor=actor, verb="accounts.role_grant", target=user, new={"role": role})
    return assignment


@transaction.atomic
def qualification_add(*, actor, user: User, kind: str, number: str, province, valid_from: date,
                      valid_until: date) -> InspectorQualification:
    """Record an inspector's qualification certificate; only qualified, unexpired people of the
    right kind and province may later be assigned inspections [001 §21]."""
    _require_admin(actor)
    errors = {}
    number = (number or "").strip()
    if kind not in QualificationKind.values:
        errors["kind"] = _("资质类型无效")
    if not number:
        errors["number"] = _("请填写证书编号")
    elif InspectorQualification.objects.filter(number=number).exists():
        errors["number"] = _("该证书编号已登记")
    if province is None or province.level != "province":
        errors["province"] = _("注册省份须为省级行政区划")
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = _("有效期至不能早于有效期起")
    if errors:
        raise ValidationFailed(fields=errors)
    qualification = InspectorQualification.objects.create(
        user=user, kind=kind, number=number, province=province, valid_from=valid_from, valid_until=valid_until
    )
    audit.record(
        actor=actor, verb="accounts.qualification_add", target=qualification,
        new={"user": user.pk, "kind": kind, "number": number, "province": province.pk,
             "valid_from": valid_from, "valid_until": valid_until},
    )
    return qualification


# --- Second factor (TOTP) -----------------------------------------------------------------------


def totp_matches(key_hex: str, code: str, *, tolerance: int = 1) -> int | None:
    """The time step at which `code` is the TOTP of `key_hex` (±tolerance steps), or None."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    if totp.verify(int(code), tolerance):
        return totp.t()
    return None


@transaction.atomic
def otp_device_confirm(*, actor, key: str, code: str) -> TOTPDevice:
    """Enrol the actor's authenticator app: the secret was shown on the setup page and is stored
    only once the first code proves the app holds it. That code cannot be used again."""
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ValidationFailed(_("您已启用动态验证码"), fields={"code": _("您已启用动态验证码，如需更换请先停用")})
    step = totp_matches(key, code)
    if step is None:
        raise ValidationFailed(fields={"code": _("验证码不正确，请核对手机时间后输入当前显示的 6 位数字")})
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=step)
    audit.record(actor=actor, verb="accounts.otp_enable", target=actor, new={"device": device.persistent_id})
    return device


@transaction.atomic
def otp_devices_remove(*, actor, user: User, code: str = "") -> int:
    """Turn the second factor off. The owner proves possession with a current code; a system
    administrator may remove a lost device of someone else without one."""
    devices = TOTPDevice.objects.select_for_update().filter(user=user)
    if actor.pk == user.pk:
        device = next((d for d in devices if d.confirmed and d.verify_token((code or "").strip())), None)
        if device is None:
            raise ValidationFailed(fields={"code": _("验证码不正确")})
    else:
        _require_admin(actor)
    removed = [d.persistent_id for d in devices]
    if not removed:
        return 0
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, verb="accounts.otp_disable", target=user, old={"devices": removed})
    return len(removed)


# --- API tokens ------------------------------------------------------------------------------------


@transaction.atomic
def token_issue(*, actor: User) -> Token:
    """The caller's API token: the existing one, or a new one (audited when created)."""
    token, created = Token.objects.get_or_create(user=actor)
    if created:
        audit.record(actor=actor, verb="accounts.token_issue", target=actor)
    return token


@transaction.atomic
def token_revoke(*, actor: User) -> bool:
    """Delete the caller's API token; the next sign-in through the API issues a new one."""
    deleted, _ = Token.objects.filter(user=actor).delete()
    if deleted:
        audit.record(actor=actor, verb="accounts.token_revoke", target=actor)
    return bool(deleted)
