"""Promotion test data, made through the services as staff would."""

import datetime

from sanpin.certificates.tests.factories import issue

from .. import registry, services
from ..choices import EventKind, OutletKind

TODAY = datetime.date(2026, 5, 11)


def event(actor, organiser, *, starts_on=datetime.date(2026, 5, 20), ends_on=None, deadline=None, open_=True,
          kind=EventKind.GREEN_FOOD_MONTH, title="2026 年上海绿色食品宣传月"):
    made = services.event_create(actor=actor, organiser=organiser, kind=kind, title=title, starts_on=starts_on,
                                 ends_on=ends_on or starts_on + datetime.timedelta(days=2),
                                 place="上海农业展览馆",
                                 signup_deadline=deadline or starts_on - datetime.timedelta(days=3), description="")
    if open_:
        made = services.event_transition(actor=actor, event=made, action="open")
    return made


def certificate(holder, *, approved_on=datetime.date(2025, 3, 10), **extra):
    """A green-inputs licence (3 years) of `holder`."""
    return issue(holder, approved_on=approved_on, **extra)


def sign_up(user, an_event, certificates, products="有机肥"):
    return services.participation_sign_up(actor=user, event=an_event, certificates=certificates, products=products)


def outlet(actor, district, *, kind=OutletKind.MARKET_ZONE, opened_on=datetime.date(2025, 6, 1), host="江桥批发市场"):
    return registry.outlet_register(actor=actor, kind=kind, host_name=host, district=district, address="某路 1 号",
                                    opened_on=opened_on)


def specialist(actor, district, *, name="王敏", registered_on=datetime.date(2025, 3, 1), trained_on=None):
    person = registry.specialist_register(actor=actor, name=name, employer="上海某合作社", district=district,
                                          registered_on=registered_on)
    if trained_on:
        registry.specialist_training_record(actor=actor, specialist=person, course="绿色食品推广实务",
                                            trained_on=trained_on, hours="8", organiser="上海市农产品质量安全中心")
    return person
