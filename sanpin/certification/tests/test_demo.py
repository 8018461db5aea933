"""`make run` loads demo applications at different steps, through the engine, once."""

import pytest
from django.core.management import call_command

from sanpin.certification.models import Application

pytestmark = pytest.mark.django_db


def test_demo_applications_load_once_through_the_engine():
    for command in ("load_regions", "load_holidays", "load_demo", "load_demo_applications"):
        call_command(command, verbosity=0)
    def states(scheme):
        return sorted(Application.objects.filter(scheme=scheme).values_list("state", flat=True))

    assert states("green_inputs") == ["draft", "issued", "preliminary_review", "site_inspection"]
    assert states("green_food") == ["acceptance", "issued"]
    issued = Application.objects.get(scheme="green_inputs", state="issued")
    assert issued.products.get().certificate.number.startswith("LSSZ-01-")
    rice = Application.objects.get(scheme="green_food", state="issued").products.get().certificate
    assert rice.number.startswith("LB-01-") and rice.holder.green_food_code.startswith("GF")
    count = Application.objects.count()
    call_command("load_demo_applications", verbosity=0)
    assert Application.objects.count() == count
