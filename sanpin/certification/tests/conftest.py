"""A green-input world: a qualified inspector, an expert pool, a designated lab, fee schedules,
and helpers to drive an application through the API as the demo users would."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanpin.accounts.choices import QualificationKind, Role
from sanpin.accounts.models import ExpertProfile, InspectorQualification, LabDesignation
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certification.choices import FeeItem, WaiverCondition
from sanpin.certification.models import FeeSchedule, FeeWaiverRule

PDF = b"%PDF-1.4\n%test material\n"
CONDITIONS = {
    "applicant_conditions": {c: True for c in ("legal_person_licensed", "civil_liability", "stable_base",
                                               "environment_technique", "quality_system_one_year",
                                               "technical_staff")},
    "product_conditions": {c: True for c in ("inspected_registered", "meets_standards", "beneficial",
                                             "environmentally_sound", "non_gmo")},
}


@pytest.fixture
def world(users, regions, gx_entity, holidays):
    """Everything the green-input review needs besides the applicant."""
    InspectorQualification.objects.create(
        user=users["inspector"], kind=QualificationKind.GREEN_INPUTS_ADMIN, number="LSSZ-GLY-2024-001",
        province=regions["450000"], valid_from=date(2024, 1, 1), valid_until=date(2028, 12, 31),
    )
    experts = [users["expert"]] + [UserFactory(username=f"expert{i}", roles=[Role.EXPERT]) for i in range(2, 6)]
    for expert in experts:
        ExpertProfile.objects.create(user=expert, specialties=["fertilizer", "pesticide"])
    # One expert works for the applicant: never drawn for its review.
    ExpertProfile.objects.filter(user=experts[-1]).update(entity=gx_entity)
    lab_entity = EntityFactory(name="广西农产品质量检测中心", kind=EntityKind.LAB, region=regions["450103"])
    lab_user = UserFactory(username="lab", roles=[Role.LAB], entity=lab_entity)
    LabDesignation.objects.create(lab=lab_entity, scheme="green_inputs", tests=["heavy_metals", "banned_substances"],
                                  valid_from=date(2024, 1, 1), valid_until=date(2027, 12, 31))
    for item, amount in ((FeeItem.REVIEW, Decimal("8000")), (FeeItem.MANAGEMENT, Decimal("4000"))):
        FeeSchedule.objects.create(scheme="green_inputs", item=item, amount=amount, effective_from=date(2020, 1, 1),
                                   source="测试收费标准")
    # Organic: the inspector is also a qualified organic inspector, the lab is designated for organic
    # sampling tests, and 中绿华夏's three fees with the 35% reduction [002 §3(1)4].
    InspectorQualification.objects.create(
        user=users["inspector"], kind=QualificationKind.ORGANIC_INSPECTOR, number="YJJC-450000-0001",
        province=regions["450000"], valid_from=date(2024, 1, 1), valid_until=date(2028, 12, 31))
    LabDesignation.objects.create(lab=lab_entity, scheme="organic", tests=["pesticide_residues", "banned_substances",
                                                                           "heavy_metals", "gmo"],
                                  valid_from=date(2024, 1, 1), valid_until=date(2028, 12, 31))
    for item, amount in ((FeeItem.APPLICATION, "1000"), (FeeItem.REVIEW, "3000"), (FeeItem.REGISTRATION, "500")):
        FeeSchedule.objects.create(scheme="organic", item=item, amount=Decimal(amount),
                                   effective_from=date(2020, 1, 1), source="测试收费标准")
    for condition, years in ((WaiverCondition.POVERTY_EXIT, 5), (WaiverCondition.KEY_ASSISTANCE, None)):
        FeeWaiverRule.objects.create(scheme="organic", items=["application", "review", "registration"],
                                     condition=condition, years_after_exit=years, reduction_percent=35,
                                     effective_from=date(2021, 1, 1), source="002 §3(1)4")
    return {"experts": experts, "lab": lab_entity, "lab_user": lab_user, **users}


class Driver:
    """Acts through the API as one user after another."""

    def __init__(self, api, world):
        self.api, self.world = api, world

    def as_(self, username):
        self.api.force_authenticate(self.world[username] if isinstance(username, str) else username)
        return self

    def create(self, entity, kind="initial", products=None, certificate=None, data=None, scheme="green_inputs"):
        body = {"scheme": scheme, "kind": kind, "entity": entity.pk,
                "products": products if products is not None else [
                    {"name": "绿源牌生物有机肥", "category": "01", "trademark": "绿源", "approved_output": "5000",
                     "output_unit": "吨", "registration_no": "农肥（2024）准字 12345号"}],
                "data": data if data is not None else CONDITIONS}
        if certificate:
            body["certificate"] = certificate
        return self.api.post("/api/v1/applications/", body, format="json")

    def upload(self, app_id, kind, name="材料.pdf", content=PDF):
        return self.api.post(f"/api/v1/applications/{app_id}/attachments/",
                             {"kind": kind, "file": SimpleUploadedFile(name, content, "application/pdf")},
                             format="multipart")

    def upload_required(self, app_id, kinds=("application_form", "business_licence", "admin_licence")):
        for kind in kinds:
            assert self.upload(app_id, kind).status_code == 201

    def submit(self, app_id):
        return self.api.post(f"/api/v1/applications/{app_id}/submit/")

    def act(self, app_id, action, **fields):
        return self.api.post(f"/api/v1/applications/{app_id}/actions/", {"action": action, **fields}, format="json")

    def get(self, app_id):
        return self.api.get(f"/api/v1/applications/{app_id}/")

    def actions(self, app_id):
        return [a["code"] for a in self.api.get(f"/api/v1/applications/{app_id}/actions/").json()]


@pytest.fixture
def drive(api, world):
    return Driver(api, world)
