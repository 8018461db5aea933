"""The Guangxi 2024 plan from the annex of seed 002 (2024年各市绿色食品、有机农产品发展指导性计划表):
the number of green food and organic products each city is to have valid on 31 December 2024.
Organic products are those certified by COFCC (中绿华夏); 14 cities, 1700 in all."""

YEAR = 2024
MEASURE = "green_organic"
SOURCE = "2024年广西绿色食品、有机农产品发展指导性计划表"
PROVINCE = "450000"
TOTAL = 1700

# (GB/T 2260 code, city, planned number)
GUANGXI_2024 = (
    ("450100", "南宁市", 140),
    ("450200", "柳州市", 248),
    ("450300", "桂林市", 193),
    ("450400", "梧州市", 73),
    ("450500", "北海市", 47),
    ("450600", "防城港市", 47),
    ("450700", "钦州市", 80),
    ("450800", "贵港市", 75),
    ("450900", "玉林市", 132),
    ("451000", "百色市", 285),
    ("451100", "贺州市", 137),
    ("451200", "河池市", 154),
    ("451300", "来宾市", 61),
    ("451400", "崇左市", 28),
)
assert sum(value for _code, _name, value in GUANGXI_2024) == TOTAL  # the annex's 合计


def load_demo_targets() -> int:
    """Store the plan (idempotent); returns the number of cities."""
    from sanpin.accounts.models import system_user

    from .target_services import targets_load

    rows = [{"region": code, "year": YEAR, "measure": MEASURE, "value": value, "source": SOURCE}
            for code, _name, value in GUANGXI_2024]
    return len(targets_load(actor=system_user(), rows=rows))
