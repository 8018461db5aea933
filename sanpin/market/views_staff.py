"""Staff page: the supply listings of holders in the user's region, whether each is publicly
shown today, and the take-down form.

Thin: parse → access → service/selector → render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.core import clock
from sanpin.core.errors import ValidationFailed
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .forms import StaffFilterForm, TakeDownForm
from .models import LISTING_ACTIONS

STAFF = LISTING_ACTIONS["take_down"]


class StaffListingsView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request):
        form = StaffFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        context = paginate(request, selectors.staff_listings(request.user, **filters), size=50)
        return render(request, "market/staff_listings.html", {
            **context, "form": form, "shown": selectors.visible_ids(context["page_obj"].object_list, clock.today()),
            "take_down_form": TakeDownForm(),
        })


class ListingTakeDownView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request, pk):
        form = TakeDownForm(request.POST)
        form.is_valid()
        try:
            listing = services.listing_take_down(actor=request.user, listing=pk,
                                                 reason=form.cleaned_data.get("reason", ""))
        except ValidationFailed as exc:
            messages.error(request, "；".join(m for ms in exc.fields.values() for m in ms) or exc.message)
        else:
            messages.success(request, _("已下架：%(p)s（%(h)s），已通知供应单位") % {
                "p": listing.product_name, "h": listing.holder.name})
        return redirect("market:staff_listings")
