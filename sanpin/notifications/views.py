"""A user's own inbox: the list, mark one read (and go to it), mark all read."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from .selectors import access_notification_by_id, notifications_of, unread_count
from .services import notification_mark_all_read, notification_mark_read


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        self.unread_only = self.request.GET.get("unread") == "1"
        return notifications_of(self.request.user, unread_only=self.unread_only)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_only"] = self.unread_only
        context["unread_total"] = unread_count(self.request.user)
        context["query"] = "unread=1" if self.unread_only else ""
        return context


class NotificationReadView(LoginRequiredMixin, View):
    """POST: mark read, then go to `next` (the notification's page) when it is a local URL."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = access_notification_by_id(request.user, pk)
        notification_mark_read(actor=request.user, notification=notification)
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                      require_https=request.is_secure()):
            return redirect(target)
        return redirect(reverse("notifications:list"))


class NotificationReadAllView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        changed = notification_mark_all_read(actor=request.user)
        messages.success(request, _("已将 %(n)s 条消息标为已读") % {"n": changed})
        return redirect(reverse("notifications:list"))
