"""Export of any filtered list of bases: the rows of filtersets.filtered_bases (the same filters as
the list page and the API), in the template's columns plus the directory columns, so an export
can be corrected and read back by the import."""

from collections.abc import Callable

from django.http import QueryDict
from django.utils.translation import gettext as _

from sanpin.core.access import can
from sanpin.core.errors import PermissionDenied

from . import io
from .choices import BaseLevel, BaseStatus, BaseType
from .filtersets import filtered_bases
from .models import Base

EXTRA_HEADERS = ("目录状态", "目录编号", "纳入目录日期", "运营主体名称", "县名称")
_VALUES = ("name", "base_type", "level", "operator__uscc", "county_id", "products", "varieties", "area_mu",
           "output_tons", "location", "longitude", "latitude", "coverage", "techniques", "responsible_person",
           "status", "directory_number", "listed_on", "operator__name", "county__name")


def _cells(values: tuple, types: dict, levels: dict, statuses: dict) -> list:
    row = list(values)
    row[1], row[2], row[15] = types.get(row[1], row[1]), levels.get(row[2], row[2]), statuses.get(row[15], row[15])
    for i in (7, 8, 10, 11):  # decimals as numbers, so the sheet can sum them
        row[i] = float(row[i]) if row[i] is not None else None
    row[17] = row[17].isoformat() if row[17] else ""
    return row


def _query(params) -> QueryDict:
    """A QueryDict from the list's parameters, also when they were stored as {name: [values]}."""
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for name, value in (params or {}).items():
        query.setlist(name, [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)])
    return query


def bases_export(*, actor, params, progress: Callable | None = None) -> tuple[bytes, int]:
    """(xlsx bytes, row count) of the bases `actor` may see that match `params` (the list's
    query parameters). Read-only: nothing is changed, so no audit event."""
    if not can(actor, "view", Base):
        raise PermissionDenied(_("您没有查看生产基地的权限"))
    rows = filtered_bases(actor, _query(params)).order_by("county_id", "name", "pk")
    total = rows.count()
    types = {code: str(label) for code, label in BaseType.choices}
    levels = {code: str(label) for code, label in BaseLevel.choices}
    statuses = {code: str(label) for code, label in BaseStatus.choices}
    cells = (_cells(v, types, levels, statuses) for v in rows.values_list(*_VALUES).iterator(chunk_size=2000))
    return io.export_xlsx(cells, EXTRA_HEADERS, progress=progress, total=total), total
