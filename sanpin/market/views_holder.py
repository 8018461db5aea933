"""Holder pages: my listings (create, edit, withdraw, republish), the inquiry inbox, and one
inquiry (both sides read it; the holder answers it there).

Thin: parse → access → service/selector → render."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import Role
from sanpin.catalog.picker import picker_context
from sanpin.catalog.views import picker_partial
from sanpin.core import clock
from sanpin.core.access import access_by_id
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .choices import InquiryStatus, suggested_field
from .forms import ListingForm, ReplyForm
from .models import SupplyListing

APPLICANT = frozenset({Role.APPLICANT})
BOTH_SIDES = frozenset({Role.APPLICANT, Role.PURCHASER})


class MyListingsView(RoleRequiredMixin, View):
    roles = APPLICANT

    def get(self, request):
        today = clock.today()
        rows = selectors.own_listings(request.user).annotate(
            open_inquiries=Count("inquiries", filter=Q(inquiries__status=InquiryStatus.OPEN))).order_by(
            "-created_at", "-pk")
        context = paginate(request, rows, size=30)
        shown = selectors.visible_ids(context["page_obj"].object_list, today)
        return render(request, "market/my_listings.html", {
            **context, "shown": shown,
            "certificates": selectors.listing_certificates(request.user.entity, today) if request.user.entity_id
            else [],
        })


def _form_page(request, form, *, listing=None, status=200):
    region = form["region"].value() or ""
    return render(request, "market/listing_form.html", {
        "form": form, "listing": listing, "picker": picker_context("region", region, ""),
    }, status=status)


class ListingCreateView(RoleRequiredMixin, View):
    roles = APPLICANT

    def _certificates(self, request):
        return list(selectors.listing_certificates(request.user.entity, clock.today())) if request.user.entity_id \
            else []

    def get(self, request):
        partial = picker_partial(request, "")
        if partial:
            return partial
        entity = request.user.entity
        certificates = self._certificates(request)
        chosen = next((c for c in certificates if str(c.pk) == request.GET.get("certificate")), None)
        if chosen is None and len(certificates) == 1:
            chosen = certificates[0]
        initial = {"supply_from_month": 1, "supply_to_month": 12,
                   "region": entity.region_id if entity else "",
                   "contact_name": entity.contact_name if entity else "",
                   "contact_phone": entity.contact_phone if entity else ""}
        if chosen:
            initial.update(certificate=str(chosen.pk), unit=chosen.output_unit,
                           product_field=suggested_field(chosen.scheme, chosen.category))
        return _form_page(request, ListingForm(initial=initial, certificates=certificates))

    def post(self, request):
        form = ListingForm(request.POST, certificates=self._certificates(request))
        outcome = run_service(form, lambda data: services.listing_create(actor=request.user, **data))
        if not outcome.ok:
            return _form_page(request, form, status=outcome.status)
        messages.success(request, _("供应信息已发布：%(p)s") % {"p": outcome.result.product_name})
        return redirect("market:my_listings")


class ListingEditView(RoleRequiredMixin, View):
    roles = APPLICANT

    def get(self, request, pk):
        partial = picker_partial(request, "")
        if partial:
            return partial
        listing = access_by_id(SupplyListing, request.user, pk, "change")
        initial = {name: getattr(listing, name) for name in services.LISTING_FIELDS}
        initial.update(region=listing.region_id, quantity=listing.quantity_text)
        return _form_page(request, ListingForm(initial=initial, editing=True), listing=listing)

    def post(self, request, pk):
        listing = access_by_id(SupplyListing, request.user, pk, "change")
        form = ListingForm(request.POST, editing=True)
        outcome = run_service(form, lambda data: services.listing_update(actor=request.user, listing=listing,
                                                                         **data))
        if not outcome.ok:
            return _form_page(request, form, listing=listing, status=outcome.status)
        messages.success(request, _("供应信息已保存"))
        return redirect("market:my_listings")


class ListingWithdrawView(RoleRequiredMixin, View):
    roles = APPLICANT

    def post(self, request, pk):
        listing = services.listing_withdraw(actor=request.user, listing=pk)
        messages.success(request, _("已撤回：%(p)s。采购商将看不到这条供应信息。") % {"p": listing.product_name})
        return redirect("market:my_listings")


class ListingRepublishView(RoleRequiredMixin, View):
    roles = APPLICANT

    def post(self, request, pk):
        listing = services.listing_republish(actor=request.user, listing=pk)
        messages.success(request, _("已重新发布：%(p)s") % {"p": listing.product_name})
        return redirect("market:my_listings")


class InboxView(RoleRequiredMixin, View):
    """询价收件箱: inquiries about the organisation's listings, open ones first."""

    roles = APPLICANT

    def get(self, request):
        rows = selectors.own_inquiries(request.user).filter(listing__holder_id=request.user.entity_id).order_by(
            "-status", "-created_at", "-pk")
        return render(request, "market/inquiries.html", {**paginate(request, rows, size=30), "side": "holder"})


class InquiryDetailView(RoleRequiredMixin, View):
    """One inquiry, for the buyer that sent it and the holder it was sent to; the holder answers."""

    roles = BOTH_SIDES

    def _render(self, request, inquiry, form=None, status=200):
        holder_side = inquiry.listing.holder_id == request.user.entity_id and Role.APPLICANT in request.user.roles
        if holder_side and inquiry.status == InquiryStatus.OPEN and form is None:
            form = ReplyForm()
        return render(request, "market/inquiry_detail.html", {
            "inquiry": inquiry, "listing": inquiry.listing, "holder_side": holder_side, "form": form,
        }, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.inquiry_for(request.user, pk))

    def post(self, request, pk):
        inquiry = selectors.inquiry_for(request.user, pk)
        form = ReplyForm(request.POST)
        outcome = run_service(form, lambda data: services.inquiry_reply(actor=request.user, inquiry=inquiry,
                                                                        reply=data["reply"]))
        if not outcome.ok:
            return self._render(request, inquiry, form=form, status=outcome.status)
        messages.success(request, _("已答复，采购商将收到通知"))
        return redirect("market:inquiry_detail", pk=inquiry.pk)
