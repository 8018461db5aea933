"""`make run` loads demo applications at different steps, through the engine, once."""

import pytest
from django.core.management import call_command

from sanpin.certification.models import Application

pytestmark = pytest.mark.django_db


def test_demo_applications_load_once_through_the_engine():
    for command in ("load_regions", "load_holidays", "load_demo", "load_demo_applications"):
        call_command(command, verbosity=0)
    states = sorted(Application.objects.values_list("state", flat=True))
    assert states == ["draft", "issued", "preliminary_review", "site_inspection"]
    issued = Application.objects.get(state="issued")
    assert issued.products.get().certificate.number.startswith("LSSZ-01-")
    call_command("load_demo_applications", verbosity=0)
    assert Application.objects.count() == 4
