"""我的订阅: follow a certificate or an entity, unfollow, read the delivery log, re-send a failure."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.core.errors import DomainError
from sanpin.core.views.forms import run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import selectors, services
from .choices import SUBSCRIBER_ROLES, DeliveryStatus
from .forms import SubscriptionForm


def _paging(page) -> dict:
    return {"page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages()}


def _list(request, form, *, status=200):
    subscriptions = Paginator(selectors.subscriptions_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "subscriptions/list.html", {"form": form, "subscriptions": subscriptions,
                                                       **_paging(subscriptions)}, status=status)


class SubscriptionListView(RoleRequiredMixin, View):
    roles = SUBSCRIBER_ROLES

    def get(self, request):
        initial = {k: request.GET[k] for k in ("target_kind", "target") if request.GET.get(k)}
        return _list(request, SubscriptionForm(initial=initial))


class SubscriptionCreateView(RoleRequiredMixin, View):
    """POST: follow. A webhook's secret is shown on the answer page this once."""

    roles = SUBSCRIBER_ROLES
    http_method_names = ["post"]

    def post(self, request):
        form = SubscriptionForm(request.POST)
        created, status = run_service(form, lambda data: services.subscription_create(actor=request.user, **data))
        if status is not None:
            return _list(request, form, status=status)
        subscription, secret = created
        if secret:
            return render(request, "subscriptions/created.html", {"subscription": subscription, "secret": secret})
        messages.success(request, _("已关注 %(t)s") % {"t": subscription.target_label})
        return redirect("subscriptions:list")


class SubscriptionDetailView(RoleRequiredMixin, View):
    roles = SUBSCRIBER_ROLES

    def get(self, request, pk):
        subscription = selectors.access_subscription_by_id(request.user, pk)
        deliveries = Paginator(selectors.deliveries_of(subscription), 50).get_page(request.GET.get("page"))
        return render(request, "subscriptions/detail.html", {
            "subscription": subscription, "deliveries": deliveries, "FAILED": DeliveryStatus.FAILED,
            **_paging(deliveries),
        })


class SubscriptionCancelView(RoleRequiredMixin, View):
    roles = SUBSCRIBER_ROLES
    http_method_names = ["post"]

    def post(self, request, pk):
        subscription = selectors.access_subscription_by_id(request.user, pk)
        try:
            services.subscription_cancel(actor=request.user, subscription=subscription)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已取消关注 %(t)s") % {"t": subscription.target_label})
        return redirect("subscriptions:list")


class DeliveryResendView(RoleRequiredMixin, View):
    roles = SUBSCRIBER_ROLES
    http_method_names = ["post"]

    def post(self, request, delivery_id):
        delivery = selectors.access_delivery_by_id(request.user, delivery_id)
        try:
            services.delivery_resend(actor=request.user, delivery=delivery)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已重新发送"))
        return redirect("subscriptions:detail", pk=delivery.subscription_id)
