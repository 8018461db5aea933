"""Market fixtures: a day inside the demo certificates' validity, a Guangxi holder with a valid
licence and a listing, a registered buyer and a purchaser without a profile."""

import datetime

import pytest

from .factories import certificate_of, listing, purchaser

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def market(users, gx_entity, sh_entity, on_day):
    on_day(TODAY)
    gx_certificate = certificate_of(gx_entity, product_name="绿源牌生物有机肥")
    sh_certificate = certificate_of(sh_entity, product_name="申绿牌有机肥")
    return {
        "users": users,
        "gx_certificate": gx_certificate,
        "sh_certificate": sh_certificate,
        "gx_listing": listing(users["gx_applicant"], gx_certificate),
        "sh_listing": listing(users["sh_applicant"], sh_certificate, contact_phone="13800002222"),
        "buyer": purchaser("buyer", "南宁邕江农副产品批发市场有限公司", listed=True),
        "bare_purchaser": purchaser("bare", "青秀区某某超市", profile=False),
    }
