"""Shared fixtures of the annual-inspection tests: a hand-made set of certificate holders."""

import datetime

import pytest

from sanpin.accounts.models import system_user
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.services import certificate_set_status

from .factories import inspector, issue

D = datetime.date


@pytest.fixture
def world(users, regions, agencies, gx_entity, sh_entity, on_day):
    """Hand-made holders around the 2026 basis date (1 January), Guangxi unless said otherwise."""
    on_day(D(2026, 3, 2))
    w = {"users": users, "regions": regions}
    w["valid"] = gx_entity                                                    # green food, valid → in
    w["valid_cert"] = issue("green_food", gx_entity)
    w["inputs"] = EntityFactory(name="百色生资公司", region=regions["451031"])  # green inputs, valid → in
    w["inputs_cert"] = issue("green_inputs", w["inputs"])
    w["inputs_old"] = issue("green_inputs", w["inputs"], valid_from=D(2023, 1, 1), valid_until=D(2025, 12, 31),
                            product_name="旧肥料")                            # its expired one is not listed
    w["expired"] = EntityFactory(name="过期公司", region=regions["450103"])
    issue("green_food", w["expired"], valid_from=D(2022, 12, 1), valid_until=D(2025, 12, 31))  # → out
    w["revoked"] = EntityFactory(name="被取消公司", region=regions["450102"])
    revoked = issue("green_food", w["revoked"])
    certificate_set_status(actor=system_user(), certificate=revoked, status="revoked", reason="取消")  # → out
    issue("green_food", sh_entity)                                            # other province → out
    w["rectifying"] = EntityFactory(name="整改中公司", region=regions["450102"])
    rectifying = issue("green_food", w["rectifying"])
    certificate_set_status(actor=system_user(), certificate=rectifying, status="in_rectification",
                           reason="整改")                                     # in rectification → in
    w["later"] = EntityFactory(name="新获证公司", region=regions["450103"])
    w["later_cert"] = issue("green_food", w["later"], valid_from=D(2026, 2, 10), valid_until=D(2029, 2, 9))  # → out
    w["inspector"] = inspector("gx_inspector", agencies["gx"])
    return w


@pytest.fixture
def gx_plan(world):
    from sanpin.inspections import services

    return services.plan_generate(actor=world["users"]["gx_province"], province=world["regions"]["450000"],
                                  year=2026, schemes=["green_food", "green_inputs"])
