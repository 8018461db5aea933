"""Demo market data for `manage.py load_demo_market` (run after `load_demo`): the demo buyer's
profile, five more buyers in the dealer directory, supply listings for the demo Guangxi
applicant's valid certificates, and one inquiry from the demo buyer with the holder's answer.

Everything goes through the services, as the people concerned would do it; a second run finds
what exists and writes nothing. Everything is fictional."""

import datetime
import secrets

from django.db import transaction

from sanpin.accounts.demo import DEMO_PASSWORD, ENTITIES, demo_uscc
from sanpin.accounts.models import User
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region
from sanpin.core import clock

from . import selectors, services
from .choices import BuyerType, ProductField, suggested_field
from .models import BuyerProfile, Inquiry, SupplyListing

F = ProductField
BUYER_PROFILE = {"buyer_type": BuyerType.WHOLESALE_MARKET,
                 "product_fields": [F.VEGETABLE, F.FRUIT, F.GRAIN_OIL, F.LIVESTOCK, F.AQUATIC],
                 "regions": ["450000"], "serves_nationwide": False, "listed": True,
                 "description": "南宁市区主要农产品批发市场，设绿色优质农产品专区，日均交易量 3000 吨（演示）"}

# (username, name, county, contact, mobile, type, fields, regions served ([] = nationwide), description)
DEALERS = [
    ("dealer_guipin", "广西桂品优选供应链有限公司", "450103", "李桂平", "13907710101", BuyerType.DEALER,
     [F.GRAIN_OIL, F.FRUIT, F.TEA], ["450000", "440000"], "绿色食品区域经销商，覆盖两广商超与团购渠道（演示）"),
    ("dealer_huimin", "南宁市青秀区惠民连锁超市有限公司", "450103", "陆惠敏", "13907710202", BuyerType.SUPERMARKET,
     [F.VEGETABLE, F.FRUIT, F.GRAIN_OIL, F.LIVESTOCK], ["450100"], "南宁市内 28 家门店，设绿色有机专柜（演示）"),
    ("dealer_bagui", "广西八桂鲜生电子商务有限公司", "450107", "韦晓鲜", "13907710303", BuyerType.ECOMMERCE,
     [F.FRUIT, F.TEA, F.PROCESSED], [], "生鲜电商平台，地标农产品直播带货（演示）"),
    ("dealer_canteen", "南宁市教育后勤服务中心", "450103", "黄师傅", "13907710404", BuyerType.CATERING,
     [F.VEGETABLE, F.GRAIN_OIL, F.LIVESTOCK], ["450100"], "统一采购市属中小学食堂食材（演示）"),
    ("dealer_liuzhou", "柳州市柳味食品加工有限公司", "450202", "覃柳味", "13907720505", BuyerType.PROCESSOR,
     [F.GRAIN_OIL, F.VEGETABLE, F.FUNGI], ["450200"], "米粉及预制菜加工，采购优质大米和蔬菜原料（演示）"),
]
DEALER_INDEX = 900  # demo USCC serials past those of accounts.demo.ENTITIES

# Listing details per scheme for the demo applicant's certificates.
LISTING = {
    "green_food": {"supply_from_month": 9, "supply_to_month": 1, "quantity": "300", "packaging": "5kg/袋、25kg/袋",
                   "description": "当季新米，支持商超定制包装，南宁市内可配送（演示）"},
    "green_inputs": {"supply_from_month": 1, "supply_to_month": 12, "quantity": "2000", "packaging": "40kg/袋",
                     "description": "适用于水稻、果蔬基地，整车发货（演示）"},
}


def _demo_entity(key: str) -> Entity | None:
    for index, spec in enumerate(ENTITIES):
        if spec.key == key:
            return Entity.objects.filter(uscc=demo_uscc(index, spec.kind, spec.county)).first()
    return None


def _dealers() -> int:
    created = 0
    for offset, (username, name, county, contact, mobile, kind, fields, served, text) in enumerate(DEALERS):
        if User.objects.filter(username=username).exists() or not Region.objects.filter(code=county).exists():
            continue
        user = services.buyer_signup(
            username=username, password=secrets.token_urlsafe(16), display_name=contact, phone=mobile, name=name,
            uscc=demo_uscc(DEALER_INDEX + offset, EntityKind.PURCHASER, county), region=county,
            address="（演示地址）", legal_representative=contact, contact_name=contact, contact_phone=mobile,
            buyer_type=kind, product_fields=fields, regions=served, serves_nationwide=not served,
            description=text, listed=True)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        created += 1
    return created


@transaction.atomic
def load_demo_market() -> dict:
    """Returns how many profiles, dealers, listings and inquiries were created."""
    done = {"profile": 0, "dealers": 0, "listings": 0, "inquiries": 0}
    buyer = User.objects.filter(username="buyer").select_related("entity").first()
    applicant = User.objects.filter(username="gx_applicant").select_related("entity").first()
    if buyer and buyer.entity_id and not BuyerProfile.objects.filter(entity_id=buyer.entity_id).exists():
        services.buyer_profile_save(actor=buyer, **BUYER_PROFILE)
        done["profile"] = 1
    done["dealers"] = _dealers()

    if applicant and applicant.entity_id:
        today = clock.today()
        entity = applicant.entity
        for certificate in selectors.listing_certificates(entity, today):
            if SupplyListing.objects.filter(certificate__number=certificate.number, holder=entity).exists():
                continue
            details = LISTING.get(certificate.scheme, LISTING["green_inputs"])
            services.listing_create(
                actor=applicant, certificate=certificate, product_field=suggested_field(certificate.scheme,
                                                                                       certificate.category),
                unit=certificate.output_unit, contact_name=entity.contact_name, contact_phone=entity.contact_phone,
                **details)
            done["listings"] += 1

    if buyer and applicant and services.is_registered_buyer(buyer) and not Inquiry.objects.filter(
            buyer_id=buyer.entity_id).exists():
        offered = SupplyListing.objects.visible(clock.today()).filter(holder_id=applicant.entity_id)
        target = offered.filter(certificate__scheme="green_food").first() or offered.first()  # the rice, if listed
        if target is not None:
            inquiry = services.inquiry_send(
                actor=buyer, listing=target.pk, quantity="50", wanted_by=clock.today() + datetime.timedelta(days=30),
                message="市场绿色优质农产品专区拟采购，请报 25kg 袋装批发价及每周可供量（演示）")
            services.inquiry_reply(actor=applicant, inquiry=inquiry,
                                   reply="25kg 袋装批发价 6.8 元/公斤，每周可供 10 吨，南宁市内免费配送（演示）")
            done["inquiries"] = 1
    return done
