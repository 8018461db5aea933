"""Fixtures of the workforce tests: a designated lab, and registered people in two provinces."""

import datetime

import pytest

from sanpin.accounts.choices import DesignationScheme, LabTest, QualificationKind, Role
from sanpin.accounts.models import InspectorQualification
from sanpin.accounts.registries import lab_designation_create
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def lab(users, regions, on_day):
    on_day(TODAY)
    entity = EntityFactory(name="广西桂标检测中心", kind=EntityKind.LAB, region=regions["450103"])
    for scheme in (DesignationScheme.GREEN_FOOD, DesignationScheme.GREEN_INPUTS):
        lab_designation_create(
            actor=users["admin"], lab=entity, scheme=scheme,
            tests=[LabTest.ROUTINE, LabTest.PESTICIDE_RESIDUES, LabTest.HEAVY_METALS],
            valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2028, 12, 31))
    return entity


def qualify(user, kind, province, number):
    return InspectorQualification.objects.create(
        user=user, kind=kind, number=number, province_id=province, valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2028, 12, 31))


@pytest.fixture
def people(users, agencies, gx_entity):
    """gx_a: Guangxi green-food inspector; gx_b: Guangxi supervisor; gx_internal: an internal
    inspector of gx_entity; sh_c: Shanghai inspector."""
    gx_a = UserFactory(username="gx_a", display_name="韦检查", roles=[Role.INSPECTOR], agency=agencies["gx"])
    qualify(gx_a, QualificationKind.GREEN_FOOD_INSPECTOR, "450000", "GF-45-001")
    gx_b = UserFactory(username="gx_b", display_name="黄监管", roles=[Role.INSPECTOR], agency=agencies["gx"])
    qualify(gx_b, QualificationKind.GREEN_FOOD_SUPERVISOR, "450000", "GS-45-002")
    gx_internal = UserFactory(username="gx_internal", display_name="农内检", roles=[Role.APPLICANT], entity=gx_entity)
    qualify(gx_internal, QualificationKind.INTERNAL_INSPECTOR, "450000", "NJ-45-003")
    sh_c = UserFactory(username="sh_c", display_name="沪检查", roles=[Role.INSPECTOR], agency=agencies["sh"])
    qualify(sh_c, QualificationKind.GREEN_FOOD_INSPECTOR, "310000", "GF-31-004")
    return {"gx_a": gx_a, "gx_b": gx_b, "gx_internal": gx_internal, "sh_c": sh_c}
