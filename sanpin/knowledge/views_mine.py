"""An organisation's own page: 我收到的标准规程."""

from django.shortcuts import render
from django.views import View

from sanpin.accounts.choices import ENTITY_ROLES
from sanpin.core import clock
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors


class MineView(RoleRequiredMixin, View):
    """What the user's organisation and its bases received, and the trainings they attended."""

    roles = ENTITY_ROLES

    def get(self, request):
        deliveries, attended = selectors.received(request.user)
        return render(request, "knowledge/mine.html", {"deliveries": deliveries[:500], "attended": attended[:200],
                                                       "today": clock.today()})
