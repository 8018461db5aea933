"""GAP certificates for tests, recorded the only way the system allows — through the service."""

import datetime

from sanpin.gap import services


def record_gap(actor, holder, number="GAP-2024-001", certifier="中国质量认证中心", products="番茄",
               valid_from=None, valid_until=None, area="基地 200 亩"):
    today = datetime.date.today()
    return services.gap_certificate_create(
        actor=actor, holder=holder, certifier=certifier, number=number, products=products, area=area,
        valid_from=valid_from or today - datetime.timedelta(days=30),
        valid_until=valid_until or today + datetime.timedelta(days=335),
    )
