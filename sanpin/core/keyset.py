"""Keyset ("seek") pagination: a page is read from the sort key of the row before it, never by
OFFSET, so page 2,000 costs what page 1 costs (decision 0038).

A cursor is the sort key of one row, base64url-encoded JSON. `after=<cursor>` reads the rows that
follow that row in the list's order, `before=<cursor>` the rows that precede it. The sort key must
end in a unique column (the primary key) and its columns must not be null.
"""

import base64
import datetime
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Q

CURSOR_MAX = 300  # characters; a longer token is not one of ours


class _Encoder(json.JSONEncoder):
    """Dates and times in full ISO form: DjangoJSONEncoder cuts microseconds to milliseconds,
    and a cursor must name its row exactly."""

    def default(self, o):
        if isinstance(o, datetime.date | datetime.datetime):
            return o.isoformat()
        return str(o)


@dataclass(frozen=True)
class SortKey:
    """The list's order, e.g. ("-approved_on", "number") — "-" is descending, as in order_by."""

    fields: tuple

    def _columns(self):
        return [(f.lstrip("-"), f.startswith("-")) for f in self.fields]

    def order(self, *, reverse: bool = False) -> list[str]:
        return [(name if desc == reverse else f"-{name}") for name, desc in self._columns()]

    def encode(self, row) -> str:
        values = [getattr(row, name) for name, _ in self._columns()]
        raw = json.dumps(values, cls=_Encoder, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def decode(self, model, token: str) -> list | None:
        """The cursor's values as the fields' Python types, or None for an unreadable token."""
        if not token or len(token) > CURSOR_MAX:
            return None
        try:
            values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
            if not isinstance(values, list) or len(values) != len(self.fields):
                return None
            fields = [model._meta.pk if n == "pk" else model._meta.get_field(n) for n, _ in self._columns()]
            return [field.to_python(value) for field, value in zip(fields, values, strict=True)]
        except (ValueError, UnicodeDecodeError, ValidationError, TypeError):
            return None

    def beyond(self, values: list, *, reverse: bool = False) -> Q:
        """Rows strictly after `values` in this order (before them with `reverse`). The first
        column's bound is repeated on its own so that PostgreSQL starts the index scan there
        instead of filtering every row up to it."""
        columns = self._columns()
        clauses = Q(pk__in=[])
        for i, (name, desc) in enumerate(columns):
            op = "lt" if desc != reverse else "gt"
            clause = Q(**{f"{name}__{op}": values[i]})
            for (prior, _), value in zip(columns[:i], values[:i], strict=True):
                clause &= Q(**{prior: value})
            clauses |= clause
        first, desc = columns[0]
        return Q(**{f"{first}__{'lte' if desc != reverse else 'gte'}": values[0]}) & clauses


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str = ""
    previous_cursor: str = ""
    first: bool = True  # no cursor was given: the top of the list

    @property
    def is_paginated(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor or not self.first)


def seek(queryset, key: SortKey, *, after: str = "", before: str = "", size: int = 50) -> KeysetPage:
    """One page of `queryset` in `key`'s order. An unreadable cursor reads the top of the list
    (callers that must reject it check `key.decode` first)."""
    model = queryset.model
    if before and (values := key.decode(model, before)) is not None:
        rows = list(queryset.filter(key.beyond(values, reverse=True)).order_by(*key.order(reverse=True))[:size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(rows, next_cursor=key.encode(rows[-1]) if rows else "",
                          previous_cursor=key.encode(rows[0]) if more else "", first=False)
    values = key.decode(model, after) if after else None
    if values is not None:
        queryset = queryset.filter(key.beyond(values))
    rows = list(queryset.order_by(*key.order())[:size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows, next_cursor=key.encode(rows[-1]) if more else "",
                      previous_cursor=key.encode(rows[0]) if values is not None and rows else "",
                      first=values is None)


def page_from_request(request, queryset, key: SortKey, *, size: int = 50) -> KeysetPage:
    return seek(queryset, key, after=request.GET.get("after", ""), before=request.GET.get("before", ""), size=size)


PAGING = ("after", "before", "page")


def filters_of(request):
    """The request's GET without the paging parameters, or None when nothing else is left: a
    filter form bound to it shows no validation marks on a plain next page."""
    data = request.GET.copy()
    for name in PAGING:
        data.pop(name, None)
    return data or None


def links_context(request, page: KeysetPage) -> dict:
    """What includes/keyset_pagination.html reads: the query to keep (filters) and the page."""
    query = urlencode([(k, v) for k, v in request.GET.items() if k not in PAGING and v])
    return {"keyset": page, "query": query}
