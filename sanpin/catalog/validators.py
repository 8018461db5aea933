"""Field rules shared by the services, forms and API serializers of the catalog app.

Each function returns the normalised value or raises django's ValidationError with a Chinese
message, so a form shows it on the field and a service turns it into ValidationFailed.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

# Mobile numbers (1 + 10 digits) and landlines (area code 0xx/0xxx, 7–8 digits, optional extension).
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalise_uscc(value: str) -> str:
    """Strip spaces and separators and upper-case, as printed codes often carry both."""
    return stdnum_uscc.compact(value or "")


def validate_uscc(value: str) -> str:
    """The 18-character unified social credit code (GB 32100) with a correct check character."""
    number = normalise_uscc(value)
    if not number:
        raise ValidationError(_("请填写统一社会信用代码"), code="required")
    try:
        if number[:2].isdigit():
            return stdnum_uscc.validate(number)
        return _validate_lettered(number)
    except InvalidLength as exc:
        raise ValidationError(
            _("统一社会信用代码长度应为18位（当前为%(n)d位）") % {"n": len(number)}, code="invalid_length"
        ) from exc
    except InvalidChecksum as exc:
        raise ValidationError(_("统一社会信用代码校验位不正确"), code="invalid_checksum") from exc
    except StdnumError as exc:
        raise ValidationError(
            _("统一社会信用代码格式不正确：第3至8位应为行政区划代码数字，其余为数字或大写字母（不使用 I、O、Z、S、V）"),
            code="invalid_format",
        ) from exc


# GB 32100 registration-authority codes that are letters: A (military establishment office),
# G and N (agriculture: N for rural collective economic organisations) and Y (others). The
# stdnum module accepts only digit-led codes, so these are checked here with its check function.
LETTER_AUTHORITIES = frozenset("AGNY")
USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")


def _validate_lettered(number: str) -> str:
    if len(number) != 18:
        raise InvalidLength()
    if number[0] not in LETTER_AUTHORITIES or not number[2:8].isdigit() or not set(number) <= USCC_ALPHABET:
        raise StdnumError()
    if stdnum_uscc.calc_check_digit(number[:17]) != number[17]:
        raise InvalidChecksum()
    return number


def normalise_phone(value: str) -> str:
    value = (value or "").strip()
    value = re.sub(r"[\s()（）]", "", value)
    if value.startswith("+86"):
        value = value[3:]
    return value


def validate_phone(value: str, *, mobile_only: bool = False) -> str:
    """A mainland mobile number, or (unless mobile_only) a landline with its area code."""
    phone = normalise_phone(value)
    if not phone:
        raise ValidationError(_("请填写联系电话"), code="required")
    if MOBILE_RE.match(phone):
        return phone
    if not mobile_only and LANDLINE_RE.match(phone):
        return phone
    if mobile_only:
        raise ValidationError(_("手机号格式不正确，应为11位数字，以1开头"), code="invalid")
    raise ValidationError(
        _("电话号码格式不正确：手机号为11位数字，固定电话须带区号（如 0771-1234567）"), code="invalid"
    )
