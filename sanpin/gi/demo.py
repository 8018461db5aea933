"""Demo GI registrations for `manage.py load_demo_gi` (run by `make run` after `load_demo`): two
historical registrations of Guangxi GI products, an account of the holder association, its
authorisations of local producers and two years of quality indicators.

The product names are real Guangxi GI products; everything else is demonstration data: the
registration numbers (AGI9xxxx, outside the range of the real register), dates, holder and
producer organisations, people and measured values are made up, and the texts say so. Everything
goes through the services as users would do it: the register is imported from an xlsx by the
national staff, the association authorises producers, provincial staff record quality data.

Idempotent: what exists (a registration number, an authorisation of the producer under the
registration, a quality indicator of a year, a username, a USCC) is kept, so a second run writes
nothing.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from openpyxl import Workbook

from sanpin.accounts.choices import Role
from sanpin.accounts.demo import DEMO_PASSWORD, ENTITIES, demo_uscc
from sanpin.accounts.models import RoleAssignment, User
from sanpin.accounts.services import role_grant, user_create
from sanpin.catalog import services as catalog_services
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region
from sanpin.core import clock

from . import services
from .io import TEMPLATE_HEADERS
from .models import GIAuthorization, GIQualityRecord, GIRegistration

DEMO_NOTE = "演示数据：登记证书编号、登记日期和本文本为演示用，不是农业农村部登记公告的内容。"

# Organisations the accounts demo does not have. Indexes far above accounts.demo.ENTITIES keep
# their demo USCCs apart. (index, key, name, kind, county, street, legal representative, contact, phone)
PARTIES = (
    (900, "rongxian_coop", "容县自良镇沙田柚种植专业合作社", EntityKind.COOPERATIVE, "450921", "自良镇沙田柚示范园",
     "封德胜", "封小梅", "0775-5410386"),
    (901, "hengzhou_gi", "横州市茉莉花产业协会", EntityKind.ASSOCIATION, "450181", "横州镇茉莉花大道1号",
     "黄振邦", "黄秋菊", "0771-7210158"),
)
# Organisations of accounts.demo used here: the 容县 association and the 横州 jasmine cooperative.
ACCOUNTS_DEMO_ENTITIES = ("rongxian_gi", "hengzhou_jasmine")

# The association's account: it authorises producers to use the mark.
HOLDER_USER = ("rongxian_gi", "封玉霞", "rongxian_gi")  # username, display name, entity key

# (number, product, registered on, holder key, counties, quality characteristics, specification)
REGISTRATIONS = (
    ("AGI90001", "容县沙田柚", datetime.date(2013, 12, 20), "rongxian_gi", "450921",
     "果实梨形或葫芦形，果顶有铜钱状环纹（“金钱底”），果皮金黄；果肉脆嫩清甜、化渣，耐贮藏。",
     "种植于容县境内丘陵坡地；人工授粉，果实套袋；自然成熟后采收（霜降后），采后常温贮藏。\n" + DEMO_NOTE),
    ("AGI90002", "横县茉莉花", datetime.date(2014, 9, 15), "hengzhou_gi", "450181",
     "花蕾洁白饱满、大小均匀，香气浓郁持久，鲜灵度高，适于窨制花茶。",
     "种植于横州市郁江两岸冲积平原及丘陵坡地；当天午后采摘成熟花蕾，当晚窨制。\n" + DEMO_NOTE),
)


@dataclass(frozen=True)
class DemoAuthorization:
    number: str
    producer: str  # entity key
    product: str
    quantity: str
    unit: str
    years: tuple[int, int]  # first and last year of validity, relative to this year
    actor: str  # username


AUTHORIZATIONS = (
    # An earlier authorisation that has run out (read as 已过期), then the one in force.
    DemoAuthorization("AGI90001", "rongxian_coop", "容县沙田柚（鲜果）", "300", "吨", (-3, -2), "rongxian_gi"),
    DemoAuthorization("AGI90001", "rongxian_coop", "容县沙田柚（鲜果）", "450", "吨", (-1, 1), "rongxian_gi"),
    # 横州 has no demo account for its association: provincial staff act for it.
    DemoAuthorization("AGI90002", "hengzhou_jasmine", "横县茉莉花（鲜花）", "120", "吨", (0, 1), "gx_province"),
)

LAB = "广西桂标农产品检测技术有限公司"
# 容县沙田柚, two harvests: (indicator, unit, method, values two years ago and last year)
QUALITY = (
    ("可溶性固形物", "%", "NY/T 2637-2014", ("13.6", "14.1")),
    ("可食率", "%", "称量法", ("46.2", "47.5")),
    ("维生素C", "mg/100g", "GB 5009.86-2016", ("112", "118")),
    ("总酸", "g/100g", "GB 12456-2021", ("0.34", "0.31")),
)
QUALITY_NUMBER = "AGI90001"


@dataclass
class GIDemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1):
        if n:
            self.created[what] = self.created.get(what, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _users(*usernames) -> dict[str, User]:
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    missing = set(usernames) - set(users)
    if missing:
        raise LookupError(f"demo accounts missing ({', '.join(sorted(missing))}): run load_demo first")
    return users


@transaction.atomic
def load_demo_gi(*, actor) -> GIDemoReport:
    """Create whatever of the GI demo is missing. `actor` (the SYSTEM user) creates the extra
    organisations and the association's account; the GI records are written by the demo users
    whose work they are."""
    report = GIDemoReport()
    staff = _users("national", "gx_province")
    entities = _load_entities(actor, report)
    users = {**staff, HOLDER_USER[0]: _load_holder_user(actor, entities, report)}
    registrations = _load_registrations(staff["national"], entities, report)
    _load_authorizations(users, registrations, entities, report)
    _load_quality(staff["gx_province"], registrations[QUALITY_NUMBER], report)
    return report


def _load_entities(actor, report) -> dict[str, Entity]:
    entities = {}
    for index, spec in enumerate(ENTITIES):
        if spec.key in ACCOUNTS_DEMO_ENTITIES:
            entity = Entity.objects.filter(uscc=demo_uscc(index, spec.kind, spec.county)).first()
            if entity is None:
                raise LookupError(f"demo organisation {spec.name} missing: run load_demo first")
            entities[spec.key] = entity
    for index, key, name, kind, county, street, legal, contact, phone in PARTIES:
        uscc = demo_uscc(index, kind, county)
        entity = Entity.objects.filter(uscc=uscc).first()
        if entity is None:
            region = Region.objects.get(code=county)
            address = "".join(r.name for r in [*region.ancestors(), region]) + street
            entity = catalog_services.entity_create(
                actor=actor, name=name, uscc=uscc, kind=kind, region=region, address=address,
                legal_representative=legal, contact_name=contact, contact_phone=phone,
            )
            report.add("主体")
        entities[key] = entity
    return entities


def _load_holder_user(actor, entities, report) -> User:
    username, display_name, entity_key = HOLDER_USER
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(actor=actor, username=username, password=DEMO_PASSWORD, display_name=display_name,
                           entity=entities[entity_key])
        report.add("用户")
    if not RoleAssignment.objects.filter(user=user, role=Role.APPLICANT).exists():
        role_grant(actor=actor, user=user, role=Role.APPLICANT)
        report.add("角色")
    return user


def _sheet(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(TEMPLATE_HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _load_registrations(national, entities, report) -> dict[str, GIRegistration]:
    numbers = [spec[0] for spec in REGISTRATIONS]
    existing = set(GIRegistration.objects.filter(number__in=numbers).values_list("number", flat=True))
    rows = [
        [number, product, registered_on, entities[holder].uscc, counties, quality, specification]
        for number, product, registered_on, holder, counties, quality, specification in REGISTRATIONS
        if number not in existing
    ]
    if rows:
        result = services.gi_registration_import(actor=national, file=_sheet(rows), dry_run=False,
                                                 file_name="演示-农产品地理标志历史登记.xlsx")
        if not result.ok:
            raise ValueError("GI demo sheet rejected: " + "; ".join(result.error_lines()))
        report.add("地理标志登记", result.written)
    return GIRegistration.objects.in_bulk(numbers, field_name="number")


def _load_authorizations(users, registrations, entities, report):
    this_year = clock.today().year
    for spec in AUTHORIZATIONS:
        registration = registrations[spec.number]
        producer = entities[spec.producer]
        valid_from = datetime.date(this_year + spec.years[0], 1, 1)
        valid_until = datetime.date(this_year + spec.years[1], 12, 31)
        if GIAuthorization.objects.filter(registration=registration, user_entity=producer,
                                          valid_from=valid_from).exists():
            continue
        # Loaded again in a later year: a new period could overlap the one loaded before.
        if GIAuthorization.objects.filter(registration=registration, user_entity=producer,
                                          valid_from__lte=valid_until, valid_until__gte=valid_from).exists():
            continue
        services.gi_authorize(
            actor=users[spec.actor], registration=registration, user_entity=producer, product=spec.product,
            quantity=Decimal(spec.quantity), unit=spec.unit, valid_from=valid_from, valid_until=valid_until,
        )
        report.add("用标授权")


def _load_quality(staff, registration, report):
    """Two harvests before this year: the 沙田柚 is picked after 霜降, sampled in November."""
    this_year = clock.today().year
    years = (this_year - 2, this_year - 1)
    for indicator, unit, method, values in QUALITY:
        for year, value in zip(years, values, strict=True):
            if GIQualityRecord.objects.filter(registration=registration, year=year, indicator=indicator).exists():
                continue
            services.gi_quality_record_add(
                actor=staff, registration=registration, year=year, indicator=indicator, value=Decimal(value),
                unit=unit, method=method, lab=LAB, sampled_on=datetime.date(year, 11, 12),
            )
            report.add("品质数据")
