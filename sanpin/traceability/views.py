"""追溯平台推送 (system administrators): the outbox with its states, failures with the last
error, one event's document, and re-sending one or all failed events."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from sanpin.core.errors import DomainError
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import services
from .choices import OUTBOX_ROLES, EventKind, OutboxStatus
from .models import OutboxEvent


def _endpoint_label() -> str:
    """Scheme, host and path of the endpoint (never the token)."""
    parts = urlsplit(getattr(settings, "TRACEABILITY_ENDPOINT", "") or "")
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else ""


class OutboxListView(RoleRequiredMixin, View):
    roles = OUTBOX_ROLES

    def get(self, request):
        status = request.GET.get("status", "")
        kind = request.GET.get("kind", "")
        number = request.GET.get("number", "").strip()[:40]
        events = OutboxEvent.objects.all()
        if status in OutboxStatus.values:
            events = events.filter(status=status)
        if kind in EventKind.values:
            events = events.filter(kind=kind)
        if number:
            events = events.filter(number__icontains=number)
        context = paginate(request, events.order_by("-occurred_at", "-created_at"), keep_query=False)
        return render(request, "traceability/list.html", {
            **context, "events": context["page_obj"],
            "counts": services.counts(), "statuses": OutboxStatus.choices, "kinds": EventKind.choices,
            "status": status, "kind": kind, "number": number, "endpoint": _endpoint_label(),
            "max_attempts": services.MAX_ATTEMPTS,
        })


class OutboxDetailView(RoleRequiredMixin, View):
    roles = OUTBOX_ROLES

    def get(self, request, event_id):
        event = services.access_event(request.user, event_id)
        document = json.dumps(event.payload, ensure_ascii=False, indent=2, sort_keys=True)
        return render(request, "traceability/detail.html", {
            "event": event, "document": document, "endpoint": _endpoint_label(),
            "max_attempts": services.MAX_ATTEMPTS,
        })


class EventResendView(RoleRequiredMixin, View):
    roles = OUTBOX_ROLES
    http_method_names = ["post"]

    def post(self, request, event_id):
        event = services.access_event(request.user, event_id)
        try:
            services.event_resend(actor=request.user, event=event)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已重新排队推送 %(n)s 的“%(k)s”事件") % {
                "n": event.number, "k": event.get_kind_display()})
        return redirect("traceability:detail", event_id=event.pk)


class ResendFailedView(RoleRequiredMixin, View):
    roles = OUTBOX_ROLES
    http_method_names = ["post"]

    def post(self, request):
        try:
            count = services.events_resend_failed(actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已重新排队推送 %(n)d 个失败事件") % {"n": count})
        return redirect(reverse("traceability:outbox") + "?status=pending")
