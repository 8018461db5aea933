"""Certificate numbers per scheme, allocated inside the issuing transaction from row-locked
sequences (sanpin.core.numbering), so concurrent issues never share a serial.

Green inputs `LSSZ-CC-YYMMPPNNNN` [004 §17]: CC category, YY/MM approval year and month, PP the
province's sequence code (Region.number_code, e.g. 20 广西) or a foreign country's code (51 up, in
the order of each country's first certified product), NNNN a serial that runs per PP per approval
year across categories (docs/decisions/0008-green-input-numbers.md).

Green food `LB-CC-YYMMPPSSSSSA` (SPEC §10): the same parts with a 5-digit serial (since 2019) and
the letter A; organic `CCCOPYYSSSSS` (certifier code, OP, year, serial); 名特优新
`CAQS-MTYX-YYYYSSSS` (docs/decisions/0018-green-food-numbers.md).
"""

import datetime
import re

from django.utils.translation import gettext as _

from sanpin.core.errors import Conflict, ValidationFailed
from sanpin.core.numbering import next_value

from .choices import CATEGORIES, GreenInputCategory, Scheme

SERIAL_MAX = 9999
GREEN_FOOD_SERIAL_MAX = 99999
NUMBER_RE = re.compile(r"^LSSZ-(?P<category>\d{2})-(?P<yy>\d{2})(?P<mm>\d{2})(?P<pp>\d{2})(?P<serial>\d{4})$")


def serial_key(pp: str, year: int) -> str:
    return f"green_inputs:{pp}:{year}"


def origin_code(*, province=None, country=None, actor=None, on_date=None) -> str:
    """PP: the province's number code, or the country's (assigned on its first product)."""
    if (province is None) == (country is None):
        raise ValidationFailed(fields={"province": _("国内产品须指定省份，国外产品须指定国家，二者只能选一")})
    if province is not None:
        if not province.number_code:
            raise ValidationFailed(fields={"province": _("%(name)s 尚无编号省份代码，请先在行政区划中维护")
                                           % {"name": province.name}})
        return province.number_code
    if not country.number_code:
        from sanpin.accounts.models import system_user
        from sanpin.catalog.services import country_number_code_assign

        country = country_number_code_assign(country=country, actor=system_user(), on_date=on_date)
    return country.number_code


def green_inputs_number(*, category_code: str, approved_on: datetime.date, province=None, country=None) -> str:
    """Allocate the next number. Raises Conflict when the year's serial would pass 9999."""
    if category_code not in GreenInputCategory.values:
        raise ValidationFailed(fields={"category": _("产品类别无效")})
    pp = origin_code(province=province, country=country, on_date=approved_on)
    serial = next_value(serial_key(pp, approved_on.year))
    if serial > SERIAL_MAX:
        raise Conflict(_("%(year)d 年编号代码 %(pp)s 的产品序号已用尽（最大 9999），请联系系统管理员")
                       % {"year": approved_on.year, "pp": pp}, code="number_exhausted")
    return f"LSSZ-{category_code}-{approved_on:%y%m}{pp}{serial:04d}"


def parse(number: str) -> dict | None:
    match = NUMBER_RE.match(number or "")
    return match.groupdict() if match else None


GREEN_FOOD_RE = re.compile(
    r"^LB-(?P<category>\d{2})-(?P<yy>\d{2})(?P<mm>\d{2})(?P<pp>\d{2})(?P<serial>\d{4,5})A$")


def green_food_number(*, category_code: str, approved_on: datetime.date, province) -> str:
    """LB-CC-YYMMPPSSSSSA: serial per province code and approval year, across categories."""
    pp = origin_code(province=province, on_date=approved_on)
    serial = next_value(f"green_food:{pp}:{approved_on.year}")
    if serial > GREEN_FOOD_SERIAL_MAX:
        raise Conflict(_("%(year)d 年省份代码 %(pp)s 的绿色食品产品序号已用尽") % {"year": approved_on.year, "pp": pp},
                       code="number_exhausted")
    return f"LB-{category_code}-{approved_on:%y%m}{pp}{serial:05d}A"


def organic_number(*, certifier_code: str, approved_on: datetime.date) -> str:
    """Certifier code + OP (organic production) + two-digit year + a 5-digit serial per certifier
    and year."""
    serial = next_value(f"organic:{certifier_code}:{approved_on.year}")
    return f"{certifier_code}OP{approved_on:%y}{serial:05d}"


def featured_number(*, approved_on: datetime.date) -> str:
    """CAQS-MTYX-YYYYSSSS: the directory's registration numbers, a serial per listing year."""
    serial = next_value(f"featured:{approved_on.year}")
    return f"CAQS-MTYX-{approved_on.year}{serial:04d}"


def allocate(*, scheme: str, category: str, approved_on: datetime.date, province=None, country=None,
             certifier_code: str = "") -> str:
    """The next number of `scheme` for a certificate approved on `approved_on`."""
    if category not in CATEGORIES.get(scheme, GreenInputCategory).values:
        raise ValidationFailed(fields={"category": _("产品类别无效")})
    if scheme == Scheme.GREEN_INPUTS:
        return green_inputs_number(category_code=category, approved_on=approved_on, province=province,
                                   country=country)
    if scheme == Scheme.GREEN_FOOD:
        if province is None:
            raise ValidationFailed(fields={"province": _("绿色食品产品编号须有省份")})
        return green_food_number(category_code=category, approved_on=approved_on, province=province)
    if scheme == Scheme.ORGANIC:
        if not certifier_code:
            raise ValidationFailed(fields={"certifier": _("有机产品证书编号须有认证机构代码")})
        return organic_number(certifier_code=certifier_code, approved_on=approved_on)
    if scheme == Scheme.FEATURED:
        return featured_number(approved_on=approved_on)
    raise ValidationFailed(fields={"number": _("该认证类型的编号须由颁证机构给定")})
