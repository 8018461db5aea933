"""Reads for credit: the entity whose credit file a user may read, and its events."""

from sanpin.catalog.models import Entity
from sanpin.core.access import apply_scope, can, scope_for
from sanpin.core.errors import NotFound, PermissionDenied

from .models import CreditEvent


def credit_entity(user, pk) -> Entity:
    """The entity whose credit file `user` may read: staff whose region covers it and its own
    applicant. A role that may not read credit files gets 403; an entity out of scope 404."""
    if not can(user, "view", CreditEvent):
        raise PermissionDenied()
    entities = apply_scope(Entity.objects.select_related("region"), scope_for(user, "view", CreditEvent))
    try:
        return entities.get(pk=pk)
    except (Entity.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def scoped_events(user, action: str = "view"):
    return CreditEvent.objects.restrict(user, action).select_related("entity")
