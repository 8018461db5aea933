"""Shared fixtures: a small region tree, agencies at each level and a user per role."""

import os

os.environ.setdefault("SANPIN_TESTING", "1")

import pytest
from rest_framework.test import APIClient

from sanpin.accounts.choices import AgencyLevel, Role
from sanpin.accounts.tests.factories import AgencyFactory, UserFactory
from sanpin.catalog.tests.factories import EntityFactory, make_regions


@pytest.fixture
def regions(db):
    return make_regions()


@pytest.fixture
def agencies(regions):
    return {
        "national": AgencyFactory(name="中国绿色食品发展中心", level=AgencyLevel.NATIONAL, region=None),
        "gx": AgencyFactory(name="广西绿色食品发展站", level=AgencyLevel.PROVINCE, region=regions["450000"]),
        "sh": AgencyFactory(name="上海市农产品质量安全中心", level=AgencyLevel.PROVINCE, region=regions["310000"]),
        "nn": AgencyFactory(name="南宁市农业农村局", level=AgencyLevel.CITY, region=regions["450100"]),
        "bs": AgencyFactory(name="百色市农业农村局", level=AgencyLevel.CITY, region=regions["451000"]),
    }


@pytest.fixture
def gx_entity(regions):
    return EntityFactory(name="广西绿源农业有限公司", region=regions["450102"])


@pytest.fixture
def sh_entity(regions):
    return EntityFactory(name="上海申绿食品有限公司", region=regions["310101"])


@pytest.fixture
def users(agencies, gx_entity, sh_entity):
    """One user per role, named like the demo accounts of API.md."""
    return {
        "admin": UserFactory(username="admin", roles=[Role.SYSTEM_ADMIN], agency=agencies["national"]),
        "national": UserFactory(username="national", roles=[Role.NATIONAL_REVIEWER], agency=agencies["national"]),
        "gx_province": UserFactory(username="gx_province", roles=[Role.PROVINCIAL_REVIEWER], agency=agencies["gx"]),
        "sh_province": UserFactory(username="sh_province", roles=[Role.PROVINCIAL_REVIEWER], agency=agencies["sh"]),
        "nn_city": UserFactory(username="nn_city", roles=[Role.LOCAL_STAFF], agency=agencies["nn"]),
        "bs_city": UserFactory(username="bs_city", roles=[Role.LOCAL_STAFF], agency=agencies["bs"]),
        "inspector": UserFactory(username="inspector", roles=[Role.INSPECTOR], agency=agencies["gx"]),
        "expert": UserFactory(username="expert", roles=[Role.EXPERT]),
        "gx_applicant": UserFactory(username="gx_applicant", roles=[Role.APPLICANT], entity=gx_entity),
        "sh_applicant": UserFactory(username="sh_applicant", roles=[Role.APPLICANT], entity=sh_entity),
    }


@pytest.fixture
def api():
    """An API client; `api.force_authenticate(user)` to act as someone."""
    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (Redis in CI), like its freshly rolled-back database."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def on_day(monkeypatch):
    """`on_day(date(2025, 9, 30))`: business rules judge as if it were that day (at 09:00)."""
    from datetime import datetime, time

    from django.utils import timezone

    from sanpin.core import clock

    def set_day(day):
        moment = timezone.make_aware(datetime.combine(day, time(9, 0)))
        monkeypatch.setattr(clock, "now", lambda: moment)
        monkeypatch.setattr(clock, "today", lambda: day)

    return set_day


@pytest.fixture
def holidays(db):
    """The holiday notices 2004–2026, as `make run` loads them."""
    from django.core.management import call_command

    call_command("load_holidays", verbosity=0)
