"""The entity's promotion pages: signing up for an open event with its valid certificates and its
products, and its own participations with their review and any flag on a certificate.
Thin: parse → access → service/selector → render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import Role
from sanpin.core import clock
from sanpin.core.errors import NotFound
from sanpin.core.views.forms import run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .choices import EventStatus
from .forms import SignUpForm
from .models import Participation

APPLICANT = frozenset({Role.APPLICANT})


class SignUpView(RoleRequiredMixin, View):
    roles = APPLICANT

    def _page(self, request, event, form, status=200):
        already = Participation.objects.filter(event=event, entity_id=request.user.entity_id).first()
        today = clock.today()
        return render(request, "promotion/signup.html", {
            "event": event, "form": form, "already": already, "today": today,
            "accepting": event.status == EventStatus.OPEN and today <= event.signup_deadline,
        }, status=status)

    def _event(self, request, pk):
        if not request.user.entity_id:
            raise NotFound()
        return selectors.public_event(pk)

    def get(self, request, pk):
        return self._page(request, self._event(request, pk), SignUpForm(user=request.user))

    def post(self, request, pk):
        event = self._event(request, pk)
        form = SignUpForm(request.POST, user=request.user)
        outcome = run_service(form, lambda data: services.participation_sign_up(
            actor=request.user, event=event, certificates=list(data["certificates"]), products=data["products"],
            booth=data["booth"]))
        if outcome.ok:
            messages.success(request, _("已报名“%(t)s”，请等待主办机构审核") % {"t": event.title})
            return redirect("promotion:mine")
        return self._page(request, event, form, status=outcome.status)


class MyParticipationsView(RoleRequiredMixin, View):
    roles = APPLICANT

    def get(self, request):
        if not request.user.entity_id:
            raise NotFound()
        return render(request, "promotion/mine.html", {
            "participations": selectors.my_participations(request.user), "today": clock.today()})
