"""Public promotion pages (no sign-in): events upcoming and past with their approved participants
and results, one event, published award lists and one list whose entries link to the public
verify page of their certificates. Drafts are never shown. Thin: selector → render."""

from django.shortcuts import render
from django.views import View

from sanpin.core import clock
from sanpin.core.views.lists import paginate

from . import selectors
from .choices import AwardListStatus


class EventListView(View):
    def get(self, request):
        today = clock.today()
        upcoming, past = selectors.upcoming_and_past(today)
        return render(request, "promotion/events.html", {
            "upcoming": upcoming, "today": today, **paginate(request, past, size=20)})


class EventDetailView(View):
    def get(self, request, pk):
        event = selectors.public_event(pk)
        return render(request, "promotion/event.html", {
            "event": event, "today": clock.today(),
            "participations": selectors.approved_participations(event),
            "award_lists": event.award_lists.filter(status=AwardListStatus.PUBLISHED).order_by("-published_on"),
        })


class AwardListsView(View):
    def get(self, request):
        return render(request, "promotion/awards.html", paginate(request, selectors.public_award_lists(), size=20))


class AwardListDetailView(View):
    def get(self, request, pk):
        award_list = selectors.public_award_list(pk)
        return render(request, "promotion/award_list.html", {
            "award_list": award_list, "entries": selectors.award_entries(award_list), "today": clock.today()})
