"""Certificates, inspectors and plans for the annual-inspection tests."""

import datetime
from decimal import Decimal

from sanpin.accounts.choices import QualificationKind, Role
from sanpin.accounts.models import InspectorQualification, system_user
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.models import Region
from sanpin.certificates.services import certificate_issue

_serial = iter(range(1, 10_000))


def issue(scheme, holder, *, valid_from=datetime.date(2025, 1, 6), valid_until=datetime.date(2028, 1, 5),
          product_name="绿源牌大米"):
    return certificate_issue(
        actor=system_user(), scheme=scheme, holder=holder, product_name=product_name, category="01",
        trademark="", approved_output=Decimal("5000"), output_unit="吨", approved_on=valid_from,
        valid_from=valid_from, valid_until=valid_until,
        province=Region.objects.get(code=holder.region.province_code))


def qualify(user, kind, province="450000", *, valid_from=datetime.date(2024, 1, 1),
            valid_until=datetime.date(2028, 12, 31)):
    return InspectorQualification.objects.create(
        user=user, kind=kind, number=f"Q-{next(_serial)}", province_id=province, valid_from=valid_from,
        valid_until=valid_until)


def inspector(username, agency, kinds=(QualificationKind.GREEN_FOOD_INSPECTOR, QualificationKind.GREEN_INPUTS_ADMIN),
              province="450000", **dates):
    user = UserFactory(username=username, roles=[Role.INSPECTOR], agency=agency)
    for kind in kinds:
        qualify(user, kind, province, **dates)
    return user
