"""`manage.py load_demo`: the demo accounts and organisations, idempotent, through the services."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from stdnum.cn import uscc

from sanpin.accounts.choices import QualificationKind, Role
from sanpin.accounts.demo import DEMO_PASSWORD, ENTITIES, USERS, WAIVER_COUNTIES
from sanpin.accounts.models import Agency, InspectorQualification, RoleAssignment, User
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region, Trademark
from sanpin.core.audit import verify_chain
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Agency, User, RoleAssignment, InspectorQualification, Entity, Trademark, AuditEvent)
    }


@pytest.fixture
def region_tree(db):
    call_command("load_regions", verbosity=0)


def test_without_regions_it_stops_and_says_what_to_run(db):
    with pytest.raises(CommandError, match="请先运行 load_regions"):
        call_command("load_demo")
    assert not Entity.objects.exists() and not Agency.objects.exists()


def test_load_demo_creates_the_demo_world_and_a_second_run_changes_nothing(region_tree):
    # When the demo is loaded twice
    call_command("load_demo", verbosity=0)
    first = counts()
    call_command("load_demo", verbosity=0)
    # Then the second run wrote nothing at all
    assert counts() == first
    assert first["Entity"] == len(ENTITIES) >= 40
    assert verify_chain().ok

    # Every demo account signs in with the published password and holds its role
    for spec in USERS:
        user = authenticate(username=spec.username, password=DEMO_PASSWORD)
        assert user is not None, spec.username
        assert set(spec.roles) <= user.roles
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and Role.SYSTEM_ADMIN in admin.roles

    # Staff sit in the right agencies and see their own regions only
    gx = User.objects.get(username="gx_province")
    assert gx.agency.name == "广西壮族自治区绿色食品发展站" and gx.agency.region_id == "450000"
    assert User.objects.get(username="nn_city").agency.region_id == "450100"
    assert Entity.objects.restrict(gx, "view").exclude(region__code__startswith="45").count() == 0
    assert Entity.objects.restrict(User.objects.get(username="sh_province"), "view").count() == 6

    # Organisations act for their users, with valid codes and plausible addresses
    assert User.objects.get(username="gx_applicant").entity.region_id.startswith("45")
    assert User.objects.get(username="sh_applicant").entity.region_id.startswith("31")
    assert User.objects.get(username="lab").entity.kind == EntityKind.LAB
    assert User.objects.get(username="buyer").entity.kind == EntityKind.PURCHASER
    assert User.objects.get(username="bank").entity.kind == EntityKind.BANK
    assert all(uscc.is_valid(code) for code in Entity.objects.values_list("uscc", flat=True))
    lab = User.objects.get(username="lab").entity
    assert lab.address.startswith("广西壮族自治区南宁市") and lab.region.parent_id == "450100"
    kinds = set(Entity.objects.values_list("kind", flat=True))
    assert {EntityKind.COOPERATIVE, EntityKind.FAMILY_FARM, EntityKind.INPUT_MANUFACTURER,
            EntityKind.ASSOCIATION} <= kinds
    assert Trademark.objects.count() >= 5

    # The inspector holds two provincial qualifications valid for three years
    inspector = User.objects.get(username="inspector")
    qualifications = {q.kind: q for q in inspector.qualifications.all()}
    assert set(qualifications) == {QualificationKind.GREEN_INPUTS_ADMIN, QualificationKind.GREEN_FOOD_INSPECTOR,
                                   QualificationKind.ORGANIC_INSPECTOR}
    for q in qualifications.values():
        assert q.province_id == "450000"
        assert q.valid_until.year - q.valid_from.year == 3 and q.is_valid_on()

    # The eight Guangxi counties carry their fee-waiver flags with the source
    flagged = Region.objects.filter(code__in=WAIVER_COUNTIES)
    assert all(r.poverty_exit_county and r.poverty_exit_year == 2020 and r.key_assistance_county for r in flagged)
    assert all("2020年11月20日" in r.flags_source for r in flagged)
    assert Region.objects.filter(key_assistance_county=True).count() == len(WAIVER_COUNTIES)

    # Everything was written by the SYSTEM actor through the audited services
    assert set(AuditEvent.objects.values_list("actor__username", flat=True)) == {"system"}


def test_the_demo_keeps_what_an_administrator_changed(region_tree):
    call_command("load_demo", verbosity=0)
    gx = User.objects.get(username="gx_province")
    gx.set_password("changed-by-owner-2026")
    gx.save()
    call_command("load_demo", verbosity=0)
    gx.refresh_from_db()
    assert gx.check_password("changed-by-owner-2026")
