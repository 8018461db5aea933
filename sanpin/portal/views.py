"""The public site: open to everyone, no sign-in."""

from django.views.generic import TemplateView


class HomeView(TemplateView):
    """What the system is for and whom it serves, with the ways in that exist today."""

    template_name = "portal/home.html"
