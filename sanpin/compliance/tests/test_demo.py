"""`make run` shows 合格证: issued, received, re-issued with its source, once."""

import pytest
from django.core.management import call_command

from sanpin.compliance.models import ComplianceCertificate, Receipt, SourceLink

pytestmark = pytest.mark.django_db


def test_demo_certificates_load_once_through_the_services():
    for command in ("load_regions", "load_holidays", "load_demo", "load_demo_applications", "load_demo_compliance"):
        call_command(command, verbosity=0)
    counts = (ComplianceCertificate.objects.count(), Receipt.objects.count(), SourceLink.objects.count())
    assert counts == (4, 2, 1)
    rice = ComplianceCertificate.objects.get(mark_number__startswith="LB-")
    assert rice.trace_code  # 三码合一: the green food number and the traceability code on one certificate
    call_command("load_demo_compliance", verbosity=0)
    assert (ComplianceCertificate.objects.count(), Receipt.objects.count(), SourceLink.objects.count()) == counts
