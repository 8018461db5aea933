"""Public market pages: the listing search, a listing's page (contacts only under the contact
rule; the inquiry form for registered buyers), the dealer directory and the buyer sign-up.

Thin: parse → access → service/selector → render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import Role
from sanpin.catalog.picker import picker_context
from sanpin.catalog.views import picker_partial
from sanpin.core import clock
from sanpin.core.errors import ValidationFailed
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import filter_rows, paginate

from . import selectors, services
from .forms import BuyerSignupForm, DealerSearchForm, InquiryForm, ListingSearchForm


class ListingSearchView(View):
    """供需对接: visible listings by keyword, product field, mark, region and supply month."""

    def get(self, request):
        today = clock.today()
        form = ListingSearchForm(request.GET or None)
        rows = filter_rows(form, selectors.search_listings(on=today),
                           lambda rows, **f: selectors.search_listings(on=today, **f))
        context = paginate(request, rows, size=20)
        rule = selectors.contact_rule(request.user)
        context["rows"] = [(listing, rule(listing)) for listing in context["page_obj"].object_list]
        return render(request, "market/index.html", {**context, "form": form, "hint": str(selectors.CONTACT_HINT)})


def listing_page(request, listing, *, form=None, status=200):
    """A listing's page; the inquiry form is shown to registered buyers."""
    buyer = services.is_registered_buyer(request.user)
    return render(request, "market/listing_detail.html", {
        "listing": listing, "certificate": listing.certificate,
        "show_contacts": selectors.may_see_contacts(request.user, listing), "hint": str(selectors.CONTACT_HINT),
        "is_buyer": buyer, "is_purchaser": request.user.is_authenticated and Role.PURCHASER in request.user.roles,
        "form": form or (InquiryForm() if buyer else None),
    }, status=status)


class ListingDetailView(View):
    def get(self, request, pk):
        return listing_page(request, selectors.public_listing(pk, clock.today()))


class DealerDirectoryView(View):
    """经销商名录: buyers that chose to be listed; contacts for certified holders and staff."""

    def get(self, request):
        form = DealerSearchForm(request.GET or None)
        rows = filter_rows(form, selectors.dealer_directory(), lambda rows, **f: selectors.dealer_directory(**f))
        return render(request, "market/dealers.html", {
            **paginate(request, rows, size=30), "form": form,
            "show_contacts": selectors.may_see_dealer_contacts(request.user, clock.today()),
        })


class BuyerSignupView(View):
    """Public: a purchaser opens an account with its organisation and buyer profile, then is
    signed in."""

    template_name = "market/buyer_signup.html"

    def _render(self, request, form, status=200):
        picker = picker_context("region", form["region"].value() or "", "")
        return render(request, self.template_name, {"form": form, "picker": picker}, status=status)

    def get(self, request):
        if request.user.is_authenticated:
            messages.info(request, _("您已登录；如需为其他单位注册，请先退出"))
            return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL))
        return picker_partial(request, "") or self._render(request, BuyerSignupForm())

    def post(self, request):
        if request.user.is_authenticated:
            return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL))
        form = BuyerSignupForm(request.POST)
        outcome = run_service(form, lambda data: services.buyer_signup(**form.service_data()),
                              catch=ValidationFailed)
        if not outcome.ok:
            return self._render(request, form, status=400)
        login(request, outcome.result, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("注册成功：您已是注册采购商，可查看供应信息的联系方式并询价。"))
        return redirect("market:index")
