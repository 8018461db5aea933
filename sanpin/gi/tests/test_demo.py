"""`make run` loads the GI demo through the services, once: a second run writes nothing."""

import pytest
from django.core.management import call_command

from sanpin.accounts.models import User
from sanpin.catalog.models import Entity
from sanpin.core.models import AuditEvent
from sanpin.gi.choices import EXPIRED, AuthorizationStatus
from sanpin.gi.models import GIAuthorization, GIQualityRecord, GIRegistration, GIStatusChange
from sanpin.gi.selectors import public_lookup, quality_table

pytestmark = pytest.mark.django_db


def counts():
    return {model.__name__: model.objects.count() for model in (
        GIRegistration, GIStatusChange, GIAuthorization, GIQualityRecord, Entity, User, AuditEvent)}


@pytest.fixture
def demo():
    for command in ("load_regions", "load_demo", "load_demo_gi"):
        call_command(command, verbosity=0)


def test_the_gi_demo_loads_through_the_services(demo):
    from sanpin.core import clock

    today = clock.today()
    shatian = GIRegistration.objects.get(number="AGI90001")
    assert shatian.product_name == "容县沙田柚" and shatian.holder.name == "容县沙田柚产业协会"
    assert list(shatian.counties.values_list("code", flat=True)) == ["450921"]
    assert "演示数据" in shatian.specification
    assert GIStatusChange.objects.filter(registration=shatian, to_status="registered").count() == 1
    assert AuditEvent.objects.filter(verb="gi.registration.import").count() == 2

    # The association's own account authorised the producer; the earlier period reads as expired
    holder_user = User.objects.get(username="rongxian_gi")
    assert holder_user.entity == shatian.holder
    authorizations = sorted(shatian.authorizations.all(), key=lambda a: a.valid_from)
    assert [a.effective_status(today) for a in authorizations] == [EXPIRED, AuthorizationStatus.VALID]
    assert {a.user_entity.region_id for a in authorizations} == {"450921"}
    assert AuditEvent.objects.filter(verb="gi.authorize", actor=holder_user).count() == 2

    # Two harvests of quality data, one column per year
    years, rows = quality_table(shatian)
    assert years == [today.year - 1, today.year - 2]
    assert {row["indicator"] for row in rows} == {"可溶性固形物", "可食率", "维生素C", "总酸"}
    assert all(all(cell for cell in row["cells"]) for row in rows)

    assert public_lookup("agi90002").product_name == "横县茉莉花"


def test_loading_the_gi_demo_again_writes_nothing(demo, capsys):
    before = counts()

    call_command("load_demo_gi")

    assert counts() == before
    assert "已存在" in capsys.readouterr().out


def test_the_gi_demo_needs_the_demo_accounts(db):
    from django.core.management.base import CommandError

    call_command("load_regions", verbosity=0)
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_demo_gi", verbosity=0)
    assert not GIRegistration.objects.exists()
