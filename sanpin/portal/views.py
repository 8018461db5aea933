"""The public site: open to everyone, no sign-in."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views import View
from django.views.generic import TemplateView

from sanpin.bases import selectors as bases
from sanpin.core import clock

from .directory import DirectorySearchForm, public_base, search_bases
from .search import SearchForm, public_row, search

PAGE_SIZE = 20


class HomeView(TemplateView):
    """What the system is for and whom it serves, with the ways in that exist today."""

    template_name = "portal/home.html"


class SearchView(View):
    """Public search of certified products and their holders across schemes, paginated."""

    def get(self, request):
        today = clock.today()
        form = SearchForm(request.GET or None)
        page = None
        if form.is_valid():
            rows = search(**form.cleaned_data, today=today)
            page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
            page.rows = [public_row(c, today) for c in page]
        query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
        return render(request, "portal/search.html", {
            "form": form, "page_obj": page, "paginator": page.paginator if page else None,
            "is_paginated": bool(page and page.has_other_pages()), "query": query, "today": today,
        })


class BaseDirectoryView(View):
    """The public directory of quality production bases: listed bases only, searchable."""

    def get(self, request):
        form = DirectorySearchForm(request.GET or None)
        rows = search_bases(**form.cleaned_data) if form.is_valid() else search_bases()
        if form.is_bound and not form.is_valid():
            rows = rows.none()
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page.rows = [public_base(b) for b in page]
        query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
        return render(request, "portal/bases.html", {
            "form": form, "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(),
            "query": query,
        })


class BaseDirectoryDetailView(View):
    """A listed base's public page by its directory number; building or removed bases are not public."""

    def get(self, request, number):
        base = bases.listed_base(number)
        if base is None:
            raise Http404(number)
        return render(request, "portal/base_detail.html", {"b": public_base(base, links=True)})
