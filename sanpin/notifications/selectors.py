"""Reads of a user's own inbox: nobody reads another person's notifications."""

from sanpin.core.errors import NotFound

from .models import Notification


def notifications_of(user, *, unread_only: bool = False):
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    queryset = Notification.objects.filter(recipient=user)
    return queryset.filter(read_at__isnull=True) if unread_only else queryset


def unread_count(user) -> int:
    return notifications_of(user, unread_only=True).count()


def access_notification_by_id(user, pk) -> Notification:
    """The user's own notification, or NotFound (someone else's is not revealed)."""
    try:
        return notifications_of(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
