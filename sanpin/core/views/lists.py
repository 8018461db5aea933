"""List pages, written once. Every paginated page of oversight, inspections, sampling,
supervision, workforce and traceability built the same four context keys that
templates/includes/pagination.html reads, and applied its filter form the same way; spelt out per
view they had begun to drift (page sizes, which pages kept the filters in their page links)."""

from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator

PAGE_SIZE = 50


def querystring(request) -> str:
    """The request's non-empty GET parameters but `page`: what a page link must carry along."""
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def paginate(request, rows, *, size: int = PAGE_SIZE, keep_query: bool = True) -> dict:
    """The page `?page=` asks for, as the context of includes/pagination.html: page_obj,
    paginator, is_paginated and (with `keep_query`) query, so that page links keep the filters."""
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    context = {"page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages()}
    if keep_query:
        context["query"] = querystring(request)
    return context


def filter_rows(form: forms.Form, rows, apply: Callable[..., object]):
    """`apply(rows, **form.cleaned_data)` when the filter form was sent and is valid, else `rows`
    unchanged (an invalid filter shows its errors over the whole list)."""
    if form.is_bound and form.is_valid():
        return apply(rows, **form.cleaned_data)
    return rows
