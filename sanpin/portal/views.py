"""The public site: open to everyone, no sign-in."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View
from django.views.generic import TemplateView

from sanpin.core import clock

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
