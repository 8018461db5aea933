"""`load_demo_inputs` loads the Guangxi list once, published, every figure marked demonstration,
and the public page says so."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from sanpin.core.models import AuditEvent
from sanpin.inputs.models import AllowedInputList, ResidueLimit

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_marks_its_figures(client):
    for command in ("load_regions", "load_demo", "load_demo_inputs"):
        call_command(command, verbosity=0)
    counts = (AllowedInputList.objects.count(), ResidueLimit.objects.count(), AuditEvent.objects.count())
    call_command("load_demo_inputs", verbosity=0)
    assert (AllowedInputList.objects.count(), ResidueLimit.objects.count(), AuditEvent.objects.count()) == counts
    lst = AllowedInputList.objects.get()
    assert (lst.status, lst.issuer_region_id, lst.inputs.count()) == ("published", "450000", 13)
    assert ResidueLimit.objects.count() >= 20 and not ResidueLimit.objects.filter(is_demo=False).exists()
    page = client.get(reverse("inputs:search"), {"q": "吡虫啉"}).content.decode()
    assert 'id="demo-note"' in page and "演示" in page
