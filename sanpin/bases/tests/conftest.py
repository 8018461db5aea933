"""County staff for the bases tests: the users of the project's conftest plus county bureaus in
Nanning (兴宁, 青秀; their city has an agency), Baise (隆林; its city has an agency too) and
Shanghai (黄浦: a municipality's district, no city level between it and the province)."""

import pytest

from sanpin.accounts.choices import AgencyLevel, Role
from sanpin.accounts.tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def people(users, regions):
    def county_user(username, agency_name, code):
        agency = AgencyFactory(name=agency_name, level=AgencyLevel.COUNTY, region=regions[code])
        return UserFactory(username=username, roles=[Role.LOCAL_STAFF], agency=agency)

    return {
        **users,
        "xn_county": county_user("xn_county", "南宁市兴宁区农业农村局", "450102"),
        "qx_county": county_user("qx_county", "南宁市青秀区农业农村局", "450103"),
        "ll_county": county_user("ll_county", "隆林各族自治县农业农村局", "451031"),
        "hp_county": county_user("hp_county", "上海市黄浦区农业农村委", "310101"),
    }
