"""The unread count for the bell in the navigation bar, counted only when a page shows it."""

from .selectors import unread_count


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": lambda: unread_count(user)}
