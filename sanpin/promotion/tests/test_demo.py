"""`manage.py load_demo_promotion`: the Shanghai targets and registry, events and an award list,
idempotent."""

import pytest
from django.core.management import call_command

from sanpin.catalog.models import Region
from sanpin.core.models import AuditEvent
from sanpin.stats.models import Target
from sanpin.stats.targets import progress

from ..choices import AwardListStatus, EventStatus
from ..models import AwardList, Event, Outlet, Participation, PromotionSpecialist

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_counts_against_the_shanghai_targets(holidays):
    call_command("load_regions", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("load_demo_applications", verbosity=0)
    call_command("load_demo_promotion", verbosity=0)
    first = [m.objects.count() for m in (Outlet, PromotionSpecialist, Event, Participation, AwardList, AuditEvent)]
    call_command("load_demo_promotion", verbosity=0)
    assert [m.objects.count() for m in (Outlet, PromotionSpecialist, Event, Participation, AwardList,
                                         AuditEvent)] == first

    targets = {t.measure: (t.value, t.source) for t in Target.objects.filter(region_id="310000", year=2025)}
    source = "沪农委〔2023〕20号 附件4"
    assert targets == {"market_zone": (4, source), "store_counter": (45, source), "specialist": (405, source)}
    country = {m: {r.region.code: r.valid for r in progress(year=2025, measure=m).rows}["310000"]
               for m in ("market_zone", "store_counter", "specialist")}
    assert country == {"market_zone": 3, "store_counter": 8, "specialist": 12}
    shanghai = progress(year=2025, region=Region.objects.get(code="310000"), measure="store_counter")
    assert sum(r.valid for r in shanghai.rows) == 8 and len([r for r in shanghai.rows if r.valid]) == 6

    assert set(Event.objects.values_list("status", flat=True)) == {EventStatus.OPEN, EventStatus.HELD,
                                                                   EventStatus.DRAFT}
    award_list = AwardList.objects.get()
    assert award_list.status == AwardListStatus.PUBLISHED and award_list.entries.count() == 2
