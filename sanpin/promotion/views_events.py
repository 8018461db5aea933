"""Staff event pages: the events of the user's region (organised by its agencies and those below),
a new event, and one event's management page (details, sign-up transitions, participants review
with flags, results of the event and of each participant).

Thin: parse → access → service/selector → render. Domain errors escaping a view become 403/404/409
in sanpin.core.middleware."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.core import clock
from sanpin.core.access import access_by_id
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .choices import EventStatus, ParticipationStatus
from .forms import DecisionForm, EventFilterForm, EventForm, ParticipantResultsForm, ReasonForm, ResultsForm
from .models import ORGANISED_ACTIONS, Participation
from .transitions import BUTTON_ACTIONS, EVENT_TRANSITIONS, REVIEWABLE_EVENT_STATUSES, available

STAFF = ORGANISED_ACTIONS["manage"]


class EventManageListView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request):
        form = EventFilterForm(request.GET or None)
        rows = selectors.staff_events(request.user)
        if form.is_bound and form.is_valid():
            if form.cleaned_data["status"]:
                rows = rows.filter(status=form.cleaned_data["status"])
            if form.cleaned_data["kind"]:
                rows = rows.filter(kind=form.cleaned_data["kind"])
        return render(request, "promotion/manage_events.html", {"form": form, **paginate(request, rows)})


class EventCreateView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request):
        return render(request, "promotion/event_form.html", {"form": EventForm(user=request.user)})

    def post(self, request):
        form = EventForm(request.POST, user=request.user)
        outcome = run_service(form, lambda data: services.event_create(actor=request.user, **data))
        if outcome.ok:
            messages.success(request, _("已创建活动（草稿），开放报名后主体即可报名"))
            return redirect("promotion:manage_event", pk=outcome.result.pk)
        return render(request, "promotion/event_form.html", {"form": form}, status=outcome.status)


def _event_page(request, event, *, edit_form=None, reason_form=None, results_form=None, status=200):
    participations = list(selectors.event_participations(event))
    editable = event.status in (EventStatus.DRAFT, EventStatus.OPEN)
    if edit_form is None and editable:
        edit_form = EventForm(with_organiser=False, initial={
            name: getattr(event, name) for name in services.EVENT_FIELDS})
    return render(request, "promotion/manage_event.html", {
        "event": event, "today": clock.today(), "participations": participations,
        "actions": [t for t in available(EVENT_TRANSITIONS, event.status) if t.action in BUTTON_ACTIONS],
        "edit_form": edit_form if editable else None,
        "reason_form": reason_form or ReasonForm(),
        "results_form": results_form or (ResultsForm() if event.status == EventStatus.CLOSED else None),
        "reviewable": event.status in REVIEWABLE_EVENT_STATUSES,
        "participant_results": event.status == EventStatus.HELD,
        "pending": ParticipationStatus.PENDING, "approved": ParticipationStatus.APPROVED,
        "flagged": sum(1 for p in participations for s in p.shown.all() if s.flagged),
    }, status=status)


class EventManageView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request, pk):
        return _event_page(request, selectors.managed_event(request.user, pk))


class EventEditView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request, pk):
        event = selectors.managed_event(request.user, pk)
        form = EventForm(request.POST, with_organiser=False)
        outcome = run_service(form, lambda data: services.event_update(actor=request.user, event=event, **data))
        if outcome.ok:
            messages.success(request, _("已保存活动信息"))
            return redirect("promotion:manage_event", pk=event.pk)
        return _event_page(request, event, edit_form=form, status=outcome.status)


class EventTransitionView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request, pk):
        event = selectors.managed_event(request.user, pk)
        action = request.POST.get("action", "")
        form = ReasonForm(request.POST)
        outcome = run_service(form, lambda data: services.event_transition(
            actor=request.user, event=event, action=action, reason=data["reason"]))
        if outcome.ok:
            messages.success(request, _("活动状态已改为“%(s)s”") % {"s": outcome.result.get_status_display()})
            return redirect("promotion:manage_event", pk=event.pk)
        return _event_page(request, event, reason_form=form, status=outcome.status)


class EventResultsView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request, pk):
        event = selectors.managed_event(request.user, pk)
        form = ResultsForm(request.POST)
        outcome = run_service(form, lambda data: services.event_results_record(
            actor=request.user, event=event, visitors=data["visitors"], deals_count=data["deals_count"],
            deals_amount=data["deals_amount"], note=data["note"]))
        if outcome.ok:
            messages.success(request, _("已登记举办结果"))
            return redirect("promotion:manage_event", pk=event.pk)
        return _event_page(request, event, results_form=form, status=outcome.status)


class ParticipationDecideView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request, pk):
        participation = access_by_id(Participation.objects.select_related("event"), request.user, pk, "review")
        form = DecisionForm(request.POST)
        outcome = run_service(form, lambda data: services.participation_decide(
            actor=request.user, participation=participation, action=data["action"], note=data["note"]))
        if outcome.ok:
            messages.success(request, _("%(e)s：%(s)s") % {"e": participation.entity.name,
                                                          "s": outcome.result.get_status_display()})
        else:
            messages.error(request, "；".join(str(m) for m in form.errors.get("note", [])) or
                           "；".join(str(m) for m in form.non_field_errors()) or _("操作未完成"))
        return redirect("promotion:manage_event", pk=participation.event_id)


class ParticipationResultsView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request, pk):
        participation = access_by_id(Participation.objects.select_related("event", "entity"), request.user, pk,
                                     "review")
        form = ParticipantResultsForm(request.POST)
        outcome = run_service(form, lambda data: services.participation_results_record(
            actor=request.user, participation=participation, **data))
        if outcome.ok:
            messages.success(request, _("已登记 %(e)s 的参展成效") % {"e": participation.entity.name})
        else:
            errors = [str(m) for messages_ in form.errors.values() for m in messages_]
            messages.error(request, "；".join(errors) or _("操作未完成"))
        return redirect("promotion:manage_event", pk=participation.event_id)
