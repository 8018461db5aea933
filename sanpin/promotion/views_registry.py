"""Staff registry pages of the "十百千万" 工程: outlets (市场专区, 商超专柜) and promotion specialists of
the districts in the user's scope, with the filters of their FilterSets and the counts per district
on a day; registering, closing an outlet, recording a specialist's trainings and departure.

Thin: parse → access → service/selector → render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.core import clock
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import registry, selectors
from .filtersets import OutletFilterSet, SpecialistFilterSet
from .forms import LeaveForm, OutletCloseForm, OutletForm, SpecialistForm, TrainingForm
from .models import REGISTRY_ACTIONS, Outlet, PromotionSpecialist

STAFF = REGISTRY_ACTIONS["view"]


def _listing(request, filterset_class, rows, template, extra=None):
    filterset = filterset_class(request.GET or None, queryset=rows, user=request.user)
    valid = not filterset.is_bound or filterset.is_valid()
    on = (filterset.form.cleaned_data.get("on") if filterset.is_bound and valid else None) or clock.today()
    rows = filterset.qs if filterset.is_bound and valid else (rows if valid else rows.none())
    counts = selectors.district_counts(request.user, on)
    totals = {key: sum(c[key] for c in counts) for key in ("market_zones", "store_counters", "specialists")}
    return render(request, template, {
        "filter": filterset, "on": on, "district_options": filterset.district_choices(),
        "counts": counts, "totals": totals, **paginate(request, rows), **(extra or {}),
    })


class OutletListView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request):
        rows = Outlet.objects.restrict(request.user, "view").select_related("district").order_by(
            "district_id", "kind", "host_name", "pk")
        return _listing(request, OutletFilterSet, rows, "promotion/outlets.html")


class OutletCreateView(RoleRequiredMixin, View):
    roles = REGISTRY_ACTIONS["change"]

    def get(self, request):
        return render(request, "promotion/outlet_form.html", {"form": OutletForm(user=request.user)})

    def post(self, request):
        form = OutletForm(request.POST, user=request.user)
        outcome = run_service(form, lambda data: registry.outlet_register(actor=request.user, **data))
        if outcome.ok:
            messages.success(request, _("已登记 %(o)s") % {"o": outcome.result})
            return redirect("promotion:outlet", pk=outcome.result.pk)
        return render(request, "promotion/outlet_form.html", {"form": form}, status=outcome.status)


def _outlet_page(request, outlet, form=None, status=200):
    today = clock.today()
    return render(request, "promotion/outlet.html", {
        "outlet": outlet, "today": today, "open_today": outlet.open_on(today),
        "form": form or (OutletCloseForm(initial={"closed_on": today}) if outlet.closed_on is None else None),
    }, status=status)


class OutletDetailView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request, pk):
        return _outlet_page(request, selectors.scoped_outlet(request.user, pk))


class OutletCloseView(RoleRequiredMixin, View):
    roles = REGISTRY_ACTIONS["change"]

    def post(self, request, pk):
        outlet = selectors.scoped_outlet(request.user, pk, "change")
        form = OutletCloseForm(request.POST)
        outcome = run_service(form, lambda data: registry.outlet_close(
            actor=request.user, outlet=outlet, closed_on=data["closed_on"], reason=data["reason"]))
        if outcome.ok:
            messages.success(request, _("已登记撤销"))
            return redirect("promotion:outlet", pk=outlet.pk)
        return _outlet_page(request, outlet, form, status=outcome.status)


class SpecialistListView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request):
        rows = selectors.with_specialist_state(
            PromotionSpecialist.objects.restrict(request.user, "view").select_related("district"), clock.today()
        ).order_by("district_id", "name", "pk")
        return _listing(request, SpecialistFilterSet, rows, "promotion/specialists.html")


class SpecialistCreateView(RoleRequiredMixin, View):
    roles = REGISTRY_ACTIONS["change"]

    def get(self, request):
        return render(request, "promotion/specialist_form.html", {"form": SpecialistForm(user=request.user)})

    def post(self, request):
        form = SpecialistForm(request.POST, user=request.user)
        outcome = run_service(form, lambda data: registry.specialist_register(actor=request.user, **data))
        if outcome.ok:
            messages.success(request, _("已登记推广专员 %(n)s，登记培训后计入目标") % {"n": outcome.result.name})
            return redirect("promotion:specialist", pk=outcome.result.pk)
        return render(request, "promotion/specialist_form.html", {"form": form}, status=outcome.status)


def _specialist_page(request, specialist, *, training_form=None, leave_form=None, status=200):
    today = clock.today()
    counted = selectors.specialists_counted(today).filter(pk=specialist.pk).exists()
    return render(request, "promotion/specialist.html", {
        "specialist": specialist, "today": today, "counted": counted,
        "trainings": specialist.trainings.select_related("recorded_by").order_by("-trained_on", "-pk"),
        "training_form": training_form or (TrainingForm(initial={"trained_on": today})
                                           if specialist.left_on is None else None),
        "leave_form": leave_form or (LeaveForm(initial={"left_on": today}) if specialist.left_on is None else None),
    }, status=status)


class SpecialistDetailView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request, pk):
        return _specialist_page(request, selectors.scoped_specialist(request.user, pk))


class SpecialistTrainingView(RoleRequiredMixin, View):
    roles = REGISTRY_ACTIONS["change"]

    def post(self, request, pk):
        specialist = selectors.scoped_specialist(request.user, pk, "change")
        form = TrainingForm(request.POST)
        outcome = run_service(form, lambda data: registry.specialist_training_record(
            actor=request.user, specialist=specialist, **data))
        if outcome.ok:
            messages.success(request, _("已登记培训"))
            return redirect("promotion:specialist", pk=specialist.pk)
        return _specialist_page(request, specialist, training_form=form, status=outcome.status)


class SpecialistLeaveView(RoleRequiredMixin, View):
    roles = REGISTRY_ACTIONS["change"]

    def post(self, request, pk):
        specialist = selectors.scoped_specialist(request.user, pk, "change")
        form = LeaveForm(request.POST)
        outcome = run_service(form, lambda data: registry.specialist_leave(
            actor=request.user, specialist=specialist, left_on=data["left_on"]))
        if outcome.ok:
            messages.success(request, _("已登记离岗"))
            return redirect("promotion:specialist", pk=specialist.pk)
        return _specialist_page(request, specialist, leave_form=form, status=outcome.status)
