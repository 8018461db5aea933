"""Account services: who may create what, the checks with Chinese messages, and the audit trail."""

import datetime

import pytest

from sanpin.accounts.choices import AgencyLevel, QualificationKind, Role
from sanpin.accounts.models import Agency, RoleAssignment, User, system_user
from sanpin.accounts.services import agency_create, qualification_add, role_grant, user_create
from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lvse-shipin-2026"


def test_system_actor_creates_a_user_with_an_audit_event(agencies):
    user = user_create(actor=system_user(), username="hx_county", password=GOOD_PASSWORD, display_name="韦小东",
                       agency=agencies["nn"])
    assert user.check_password(GOOD_PASSWORD)
    event = AuditEvent.objects.get(verb="accounts.user_create")
    assert event.target_id == str(user.pk)
    assert GOOD_PASSWORD not in str(event.new)


def test_only_administrators_create_users(users, agencies):
    with pytest.raises(PermissionDenied):
        user_create(actor=users["gx_province"], username="x1", password=GOOD_PASSWORD, display_name="某人")
    user_create(actor=users["admin"], username="x2", password=GOOD_PASSWORD, display_name="某人")


def test_user_create_names_each_bad_field(users, agencies, gx_entity):
    with pytest.raises(ValidationFailed) as caught:
        user_create(actor=users["admin"], username="GX_PROVINCE", password="123", display_name=" ",
                    agency=agencies["gx"], entity=gx_entity)
    fields = caught.value.fields
    assert fields["username"] == ["该用户名已被使用"]
    assert fields["display_name"] == ["请填写姓名"]
    assert "agency" in fields and fields["password"]
    assert not User.objects.filter(username="GX_PROVINCE").exists()


def test_only_superusers_create_superusers(users):
    with pytest.raises(ValidationFailed) as caught:
        user_create(actor=users["admin"], username="root2", password=GOOD_PASSWORD, display_name="某人",
                    is_superuser=True)
    assert "is_superuser" in caught.value.fields
    root = user_create(actor=system_user(), username="root3", password=GOOD_PASSWORD, display_name="某人",
                       is_superuser=True)
    assert root.is_superuser and root.is_staff


def test_roles_must_match_the_users_organisation(users, agencies):
    admin = users["admin"]
    expert = users["expert"]
    with pytest.raises(ValidationFailed) as caught:
        role_grant(actor=admin, user=expert, role=Role.APPLICANT)
    assert caught.value.fields == {"role": ["该角色须先为用户指定所属主体"]}
    with pytest.raises(ValidationFailed) as caught:
        role_grant(actor=admin, user=users["nn_city"], role=Role.PROVINCIAL_REVIEWER)
    assert caught.value.fields == {"role": ["该角色须属于相应层级的工作机构"]}
    with pytest.raises(ValidationFailed):
        role_grant(actor=admin, user=users["nn_city"], role=Role.LOCAL_STAFF)  # already held
    role_grant(actor=admin, user=users["gx_province"], role=Role.INSPECTOR)
    assert RoleAssignment.objects.filter(user=users["gx_province"], role=Role.INSPECTOR).exists()
    assert AuditEvent.objects.filter(verb="accounts.role_grant").count() == 1


def test_agency_levels_and_regions_must_agree(users, regions):
    admin = users["admin"]
    with pytest.raises(ValidationFailed) as caught:
        agency_create(actor=admin, name="某县农业农村局", level=AgencyLevel.COUNTY, region=regions["450100"])
    assert caught.value.fields == {"region": ["行政区划的层级与机构层级不一致"]}
    with pytest.raises(ValidationFailed) as caught:
        agency_create(actor=admin, name="某中心", level=AgencyLevel.NATIONAL, region=regions["450000"])
    assert caught.value.fields == {"region": ["国家级机构不设行政区划"]}
    county = agency_create(actor=admin, name="隆林各族自治县农业农村局", level=AgencyLevel.COUNTY,
                           region=regions["451031"])
    assert Agency.objects.get(pk=county.pk).region_id == "451031"
    with pytest.raises(ValidationFailed) as caught:
        agency_create(actor=admin, name="隆林各族自治县农业农村局", level=AgencyLevel.COUNTY,
                      region=regions["451031"])
    assert caught.value.fields == {"name": ["已存在同名机构"]}


def test_qualifications_are_checked_and_audited(users, regions):
    today = datetime.date(2026, 3, 1)
    with pytest.raises(ValidationFailed) as caught:
        qualification_add(actor=users["admin"], user=users["inspector"], kind=QualificationKind.GREEN_FOOD_INSPECTOR,
                          number="", province=regions["450100"], valid_from=today,
                          valid_until=today - datetime.timedelta(days=1))
    assert set(caught.value.fields) == {"number", "province", "valid_until"}
    q = qualification_add(actor=users["admin"], user=users["inspector"], kind=QualificationKind.GREEN_FOOD_INSPECTOR,
                          number="LSJC-1", province=regions["450000"], valid_from=today,
                          valid_until=datetime.date(2029, 3, 1))
    assert q.is_valid_on(datetime.date(2027, 1, 1))
    assert AuditEvent.objects.filter(verb="accounts.qualification_add").count() == 1
