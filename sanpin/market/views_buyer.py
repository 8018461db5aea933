"""Buyer pages: the organisation's buyer profile, sending an inquiry from a listing's page, and
my inquiries with the holders' answers.

Thin: parse → access → service/selector → render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import Role
from sanpin.core import clock
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanpin.core.views.forms import add_service_errors
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .forms import BuyerProfileForm, InquiryForm
from .views_public import listing_page

PURCHASER = frozenset({Role.PURCHASER})


def _initial(profile) -> dict:
    if profile is None:
        return {}
    return {"buyer_type": profile.buyer_type, "product_fields": profile.field_codes,
            "serves_nationwide": profile.serves_nationwide, "regions": [r.code for r in profile.regions.all()],
            "description": profile.description, "listed": profile.listed}


class BuyerProfileView(RoleRequiredMixin, View):
    roles = PURCHASER

    def _render(self, request, form, profile, status=200):
        return render(request, "market/buyer_profile.html", {"form": form, "profile": profile,
                                                             "entity": request.user.entity}, status=status)

    def get(self, request):
        profile = selectors.buyer_profile_of(request.user)
        return self._render(request, BuyerProfileForm(initial=_initial(profile)), profile)

    def post(self, request):
        profile = selectors.buyer_profile_of(request.user)
        form = BuyerProfileForm(request.POST)
        if form.is_valid():
            try:
                services.buyer_profile_save(actor=request.user, **form.profile_data())
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("采购商信息已保存"))
                return redirect("market:buyer_profile")
        return self._render(request, form, profile, status=400)


class InquireView(RoleRequiredMixin, View):
    """POST from a listing's page: a registered buyer sends an inquiry."""

    roles = PURCHASER

    def post(self, request, pk):
        form = InquiryForm(request.POST)
        if form.is_valid():
            try:
                inquiry = services.inquiry_send(actor=request.user, listing=pk, **form.cleaned_data)
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                messages.error(request, exc.message)
                return redirect("market:index")
            except PermissionDenied as exc:
                if exc.code != "buyer_profile_required":
                    raise
                messages.warning(request, exc.message)
                return redirect("market:buyer_profile")
            else:
                messages.success(request, _("询价已发送，供应单位答复后将通知您"))
                return redirect("market:inquiry_detail", pk=inquiry.pk)
        return listing_page(request, selectors.public_listing(pk, clock.today()), form=form, status=400)


class MyInquiriesView(RoleRequiredMixin, View):
    roles = PURCHASER

    def get(self, request):
        rows = selectors.own_inquiries(request.user).filter(buyer_id=request.user.entity_id)
        return render(request, "market/inquiries.html", {**paginate(request, rows, size=30), "side": "buyer"})
