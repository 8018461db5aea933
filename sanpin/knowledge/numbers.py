"""Standard numbers as they are printed, checked per kind: the code (GB, GB/T, NY, NY/T, DB45/T,
T/CAI …), the serial (with an optional part: 19630.1) and the edition year after a hyphen.
The number with its year names one edition and is unique in the library."""

import re

from django.utils.translation import gettext as _

from sanpin.core.errors import ValidationFailed

from .choices import StandardKind

_SERIAL = r"\d{1,6}(?:\.\d{1,3})?-(?P<year>\d{4})"
PATTERNS = {
    StandardKind.NATIONAL: (re.compile(rf"^GB(?:/T|/Z)? {_SERIAL}$"), "GB 2763-2021、GB/T 19630-2019"),
    StandardKind.INDUSTRY: (re.compile(rf"^NY(?:/T)? {_SERIAL}$"), "NY/T 5295-2015、NY 525-2021"),
    StandardKind.GREEN_FOOD: (re.compile(rf"^NY/T {_SERIAL}$"), "NY/T 393-2020"),
    StandardKind.LOCAL: (re.compile(rf"^DB(?P<province>\d{{2}})(?:/T)? {_SERIAL}$"), "DB45/T 1234-2015"),
    StandardKind.GROUP: (re.compile(rf"^T/[A-Z][A-Z0-9]{{1,15}} {_SERIAL}$"), "T/CAI 001-2020"),
}
_FULL_WIDTH = str.maketrans({"／": "/", "－": "-", "—": "-", "–": "-", "　": " "})


def normalise(number: str) -> str:
    """Upper case, half-width slashes and hyphens, single spaces, no space around "/" or "-"."""
    text = (number or "").translate(_FULL_WIDTH).upper().strip()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s*-\s*", "-", text)


class Parsed:
    """A standard number split into its parts."""

    def __init__(self, number: str, year: int, province: str | None):
        self.number, self.year, self.province = number, year, province


def parse(kind: str, number: str) -> Parsed:
    """The normalised number with its edition year (and province code for a local standard), or
    ValidationFailed naming `number` (or `kind`) when it does not fit its kind."""
    text = normalise(number)
    if kind not in StandardKind.values:
        raise ValidationFailed(fields={"kind": _("请选择标准类别")})
    if not text:
        raise ValidationFailed(fields={"number": _("请填写标准编号")})
    pattern, example = PATTERNS[kind]
    match = pattern.match(text)
    if not match:
        raise ValidationFailed(fields={"number": _("%(kind)s编号格式应如 %(example)s（含年号）") % {
            "kind": StandardKind(kind).label, "example": example}})
    return Parsed(text, int(match.group("year")), match.groupdict().get("province"))
