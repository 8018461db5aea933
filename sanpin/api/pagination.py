from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from sanpin.core import keyset
from sanpin.core.errors import ValidationFailed


class StandardPagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`; `?page=` and `?page_size=` (at most 500)."""

    page_size_query_param = "page_size"
    max_page_size = 500


class KeysetOrPagePagination(StandardPagination):
    """StandardPagination, plus keyset pages for lists too long for OFFSET (decision 0038):
    `?after=` (empty: from the top) or `?before=` with a cursor from a `next` / `previous` link
    reads the page by its sort key. Same body; `count` is null on keyset pages (not counted).
    Subclasses set `key`, the list's order."""

    key: keyset.SortKey
    keyset_page = None

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        self.keyset_page = None
        if "after" not in params and "before" not in params:
            return super().paginate_queryset(queryset, request, view)
        for name in ("after", "before"):
            if params.get(name) and self.key.decode(queryset.model, params[name]) is None:
                raise ValidationFailed(fields={name: [_("游标无效，请使用上一页返回的链接")]})
        self.request = request
        self.keyset_page = keyset.seek(queryset, self.key, after=params.get("after", ""),
                                       before=params.get("before", ""), size=self.get_page_size(request))
        return self.keyset_page.rows

    def _link(self, name: str, cursor: str):
        if not cursor:
            return None
        url = self.request.build_absolute_uri()
        url = remove_query_param(remove_query_param(remove_query_param(url, "after"), "before"), "page")
        return replace_query_param(url, name, cursor)

    def get_paginated_response(self, data):
        page = self.keyset_page
        if page is None:
            return super().get_paginated_response(data)
        return Response({"count": None, "next": self._link("after", page.next_cursor),
                         "previous": self._link("before", page.previous_cursor), "results": data})

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["properties"]["count"]["nullable"] = True
        body["properties"]["count"]["description"] = "总数；键集分页（after/before）时为 null"
        return body

    def get_schema_operation_parameters(self, view):
        return [*super().get_schema_operation_parameters(view), *KEYSET_PARAMETERS]


KEYSET_PARAMETERS = [
    {"name": "after", "required": False, "in": "query", "schema": {"type": "string"},
     "description": "键集分页：上一页 `next` 中的游标；传空值从第一页开始（不用 OFFSET，适合翻到很深的页）"},
    {"name": "before", "required": False, "in": "query", "schema": {"type": "string"},
     "description": "键集分页：`previous` 中的游标，读取其前一页"},
]
