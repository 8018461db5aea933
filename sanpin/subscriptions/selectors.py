"""Reads of a user's own subscriptions and their delivery log: nobody reads another's."""

from sanpin.core.access import require_role
from sanpin.core.errors import NotFound

from .choices import SUBSCRIBER_ROLES
from .models import Delivery, Subscription


def subscriptions_of(user, *, active_only: bool = False):
    require_role(user, SUBSCRIBER_ROLES)
    queryset = Subscription.objects.filter(owner=user).select_related("entity")
    return queryset.filter(active=True) if active_only else queryset


def access_subscription_by_id(user, pk) -> Subscription:
    """The user's own subscription; PermissionDenied for a role that cannot subscribe, NotFound
    for another user's (its existence is not revealed)."""
    try:
        return subscriptions_of(user).get(pk=pk)
    except (Subscription.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def deliveries_of(subscription: Subscription):
    return subscription.deliveries.select_related("event").order_by("-created_at")


def access_delivery_by_id(user, pk) -> Delivery:
    require_role(user, SUBSCRIBER_ROLES)
    try:
        return Delivery.objects.select_related("subscription", "event").get(pk=pk, subscription__owner=user)
    except (Delivery.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
