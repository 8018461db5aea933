"""`make run` loads the sampling demo once: the standards table (every figure marked as
demonstration) and a draft plan of the year whose tests the demo lab is designated for."""

import pytest
from django.core.management import call_command

from sanpin.accounts.registries import designated_labs
from sanpin.core import clock
from sanpin.core.models import AuditEvent
from sanpin.sampling.models import Quota, SamplingPlan, Standard

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_the_demo_lab_covers_its_tests():
    for command in ("load_regions", "load_demo", "load_demo_sampling"):
        call_command(command, verbosity=0)
    counts = (Standard.objects.count(), SamplingPlan.objects.count(), Quota.objects.count(), AuditEvent.objects.count())
    call_command("load_demo_sampling", verbosity=0)
    assert (Standard.objects.count(), SamplingPlan.objects.count(), Quota.objects.count(),
            AuditEvent.objects.count()) == counts
    assert not Standard.objects.filter(is_demo=False).exists()
    plan = SamplingPlan.objects.get()
    assert (plan.year, plan.scheme, plan.status, plan.total_quota) == (clock.today().year, "green_food", "draft", 30)
    for scheme, category in (("green_inputs", "01"), ("green_food", "01"), ("green_food", "03")):
        tests = set(Standard.objects.filter(scheme=scheme, category=category).values_list("test", flat=True))
        assert [lab.name for lab in designated_labs(scheme=scheme, test_codes=tests, on_date=clock.today())] == [
            "广西桂标农产品检测技术有限公司"]
