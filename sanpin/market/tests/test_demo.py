"""`load_demo_market` after `load_demo`: the demo buyer becomes a registered buyer, the directory
fills, and a second run writes nothing."""

import pytest
from django.core.management import call_command

from sanpin.accounts.models import User
from sanpin.core.models import AuditEvent
from sanpin.market.models import BuyerProfile, Inquiry, SupplyListing
from sanpin.market.services import is_registered_buyer


@pytest.mark.django_db
def test_the_demo_loads_once():
    call_command("load_regions", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("load_demo_market", verbosity=0)

    assert is_registered_buyer(User.objects.get(username="buyer"))
    assert BuyerProfile.objects.filter(listed=True).count() == 6
    counts = (BuyerProfile.objects.count(), SupplyListing.objects.count(), Inquiry.objects.count(),
              AuditEvent.objects.count())

    call_command("load_demo_market", verbosity=0)
    assert (BuyerProfile.objects.count(), SupplyListing.objects.count(), Inquiry.objects.count(),
            AuditEvent.objects.count()) == counts
