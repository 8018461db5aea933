"""Reference data shipped with the code: the region fixture, the province sequence codes of
official numbers and the common source countries of foreign certified products.

See docs/decisions/0005-regions-and-province-codes.md for where each comes from.
"""

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from .choices import NumberCodeBasis

FIXTURE_PATH = Path(__file__).resolve().parent / "fixtures" / "regions.json.gz"

# Province sequence codes in green-food and green-input product numbers (SPEC §10). Four are
# confirmed from real numbers; the rest follow GB/T 2260 order with 重庆 left out, which those
# four fit; 重庆 most likely comes last.
_CONFIRMED = "已由实际产品编号确认（SPEC §10，如 LB-15-19012700330A 为甘肃）"
_INFERRED = "按 GB/T 2260 顺序（不含重庆）推定，与已确认的 08、11、19、27 相符（SPEC §10）"
_CHONGQING = "推定为 31（GB/T 2260 顺序之后），尚未由实际编号确认（SPEC §10）"

PROVINCE_NUMBER_CODES: dict[str, tuple[str, str, str]] = {
    region: (code, _CONFIRMED if code in {"08", "11", "19", "27"} else _INFERRED,
             NumberCodeBasis.CONFIRMED if code in {"08", "11", "19", "27"} else NumberCodeBasis.INFERRED)
    for code, region in (
        ("01", "110000"), ("02", "120000"), ("03", "130000"), ("04", "140000"), ("05", "150000"),
        ("06", "210000"), ("07", "220000"), ("08", "230000"), ("09", "310000"), ("10", "320000"),
        ("11", "330000"), ("12", "340000"), ("13", "350000"), ("14", "360000"), ("15", "370000"),
        ("16", "410000"), ("17", "420000"), ("18", "430000"), ("19", "440000"), ("20", "450000"),
        ("21", "460000"), ("22", "510000"), ("23", "520000"), ("24", "530000"), ("25", "540000"),
        ("26", "610000"), ("27", "620000"), ("28", "630000"), ("29", "640000"), ("30", "650000"),
    )
}
PROVINCE_NUMBER_CODES["500000"] = ("31", _CHONGQING, NumberCodeBasis.UNCONFIRMED)

# Foreign products take codes from 51 up, in the order of each country's first certified product.
FOREIGN_NUMBER_CODE_START = 51
FOREIGN_NUMBER_CODE_KEY = "country-number-code"

# Countries that commonly export certified organic or green products to China (ISO 3166-1).
COUNTRIES: list[tuple[str, str]] = [
    ("AR", "阿根廷"), ("AT", "奥地利"), ("AU", "澳大利亚"), ("BE", "比利时"), ("BR", "巴西"),
    ("CA", "加拿大"), ("CH", "瑞士"), ("CL", "智利"), ("DE", "德国"), ("DK", "丹麦"),
    ("ES", "西班牙"), ("FI", "芬兰"), ("FR", "法国"), ("GB", "英国"), ("GR", "希腊"),
    ("ID", "印度尼西亚"), ("IE", "爱尔兰"), ("IL", "以色列"), ("IN", "印度"), ("IT", "意大利"),
    ("JP", "日本"), ("KR", "韩国"), ("KZ", "哈萨克斯坦"), ("LK", "斯里兰卡"), ("MN", "蒙古"),
    ("MX", "墨西哥"), ("MY", "马来西亚"), ("NL", "荷兰"), ("NO", "挪威"), ("NZ", "新西兰"),
    ("PE", "秘鲁"), ("PH", "菲律宾"), ("PL", "波兰"), ("PT", "葡萄牙"), ("RU", "俄罗斯"),
    ("SE", "瑞典"), ("SG", "新加坡"), ("TH", "泰国"), ("TR", "土耳其"), ("US", "美国"),
    ("UY", "乌拉圭"), ("VN", "越南"), ("ZA", "南非"),
]


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent: str | None
    full_name: str


@dataclass(frozen=True)
class RegionFixture:
    source: dict
    check: dict
    rows: list[RegionRow]

    @property
    def label(self) -> str:
        return f"{self.source['package']} {self.source['version']}（{self.source['data']} 年数据）"


def read_region_fixture(path: Path = FIXTURE_PATH) -> RegionFixture:
    doc = json.loads(gzip.decompress(path.read_bytes()))
    index = {name: i for i, name in enumerate(doc["columns"])}
    rows = [
        RegionRow(*(row[index[name]] for name in ("code", "name", "level", "parent", "full_name")))
        for row in doc["rows"]
    ]
    return RegionFixture(source=doc["source"], check=doc["check"], rows=rows)
