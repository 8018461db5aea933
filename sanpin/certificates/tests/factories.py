"""Certificates issued through the service, as the review engine would."""

import datetime
from decimal import Decimal

from sanpin.accounts.models import system_user
from sanpin.catalog.models import Region
from sanpin.certificates.services import certificate_issue, green_inputs_validity

_HOME = object()  # the holder's own province


def issue(holder, *, approved_on=datetime.date(2025, 3, 10), category="01", product_name="生物有机肥",
          province=_HOME, actor=None, **extra):
    if province is _HOME:
        province = Region.objects.get(code=holder.region.province_code)
    values = {
        "scheme": "green_inputs", "holder": holder, "product_name": product_name, "category": category,
        "trademark": "绿源", "approved_output": Decimal("5000"), "output_unit": "吨", "approved_on": approved_on,
        "valid_from": approved_on, "valid_until": green_inputs_validity(approved_on), "province": province,
        "reference": "LS-2025-0001",
    }
    values.update(extra)
    return certificate_issue(actor=actor or system_user(), **values)
