"""Market test data: a registered buyer, a purchaser without a profile, and listings published
through the service."""

import datetime

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Region
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certificates.tests.factories import issue
from sanpin.market.choices import BuyerType, ProductField
from sanpin.market.models import BuyerProfile
from sanpin.market.services import listing_create

APPROVED = datetime.date(2025, 3, 10)  # green-input terms run to 2028-03-09


def purchaser(username: str, name: str, *, county: str = "450103", profile: bool = True, listed: bool = False):
    """A user with the PURCHASER role; with `profile`, a registered buyer."""
    entity = EntityFactory(name=name, kind=EntityKind.PURCHASER, region=Region.objects.get(code=county),
                           contact_name="采购联系人", contact_phone="13900000001")
    user = UserFactory(username=username, roles=[Role.PURCHASER], entity=entity)
    if profile:
        made = BuyerProfile.objects.create(entity=entity, buyer_type=BuyerType.SUPERMARKET,
                                           product_fields=",grain_oil,inputs,", listed=listed, updated_by=user)
        made.regions.set([Region.objects.get(code="450000")])
    return user


def certificate_of(entity, **extra):
    return issue(entity, approved_on=APPROVED, **extra)


def listing(user, certificate, **overrides):
    data = {"product_field": ProductField.INPUTS, "supply_from_month": 3, "supply_to_month": 10,
            "quantity": "120", "unit": "吨", "packaging": "40kg/袋", "contact_name": "销售部 覃经理",
            "contact_phone": "13800001111", "description": "可送货上门"}
    data.update(overrides)
    return listing_create(actor=user, certificate=certificate, **data)
