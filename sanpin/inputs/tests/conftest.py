"""A Guangxi pesticide list in force from 2024: 吡虫啉 with limits on rice and citrus, 苦参碱 with
none, built through the services by the Guangxi provincial staff; the clock in 2026."""

from datetime import date

import pytest

from sanpin.inputs import services

TODAY = date(2026, 3, 2)
RICE_LIMIT = {"crop": "水稻", "crop_category": "01", "max_value": "0.05", "unit": "mg/kg",
              "source_standard": "GB 2763—2021"}
CITRUS_LIMIT = {"crop": "柑橘", "crop_category": "04", "max_value": "1", "unit": "mg/kg",
                "source_standard": "GB 2763—2021"}


def make_list(actor, *, title="广西绿色食品可用农药清单（2024）", region="450000", kind="pesticide",
              effective_from=date(2024, 1, 1), publish=True, inputs=None):
    lst = services.list_create(actor=actor, kind=kind, title=title, issuer_region=region,
                               issuer_name="广西壮族自治区绿色食品发展站", source_document="桂绿发〔2024〕1 号",
                               effective_from=effective_from)
    for name, limits in (inputs if inputs is not None else [("吡虫啉", [RICE_LIMIT, CITRUS_LIMIT]), ("苦参碱", [])]):
        services.input_add(actor=actor, lst=lst, common_name=name, category="insecticide", limits=limits)
    if publish:
        services.list_publish(actor=actor, lst=lst)
    lst.refresh_from_db()
    return lst


@pytest.fixture
def gx_list(users, regions, on_day):
    on_day(TODAY)
    return make_list(users["gx_province"])
