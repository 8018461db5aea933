"""Who may see and change what: the one place that scopes lists and single objects.

Each scoped model declares a `ScopeRule`: the roles allowed per action, the path to its
region (scoped by code prefix: a Guangxi user reaches codes 45xxxx) and the path to its owning
entity (applicants reach only their own organisation's rows).

- Lists:   `Model.objects.restrict(user, "view")`
- Objects: `access_by_id(Model, user, pk, "change")`. A role that may never do the action
  gets PermissionDenied (403); an object outside the user's scope is NotFound (404), exactly
  like one that does not exist, so its existence is not revealed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models

from .errors import NotFound, PermissionDenied

ALL = "all"
REGION = "region"
ENTITY = "entity"
NONE = "none"


@dataclass(frozen=True)
class ScopeRule:
    region_field: str | None = None
    entity_field: str | None = None
    actions: Mapping[str, frozenset] = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    kind: str
    value: str | int | None = None


def _user_roles(user) -> frozenset:
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return user.roles


def allowed_roles(model, action: str) -> frozenset:
    rule: ScopeRule = model.scope
    if action not in rule.actions:
        raise KeyError(f"{model.__name__} has no access rule for action {action!r}")
    return rule.actions[action]


def can(user, action: str, model) -> bool:
    """Whether any of the user's roles may ever do `action` on `model` (scope aside)."""
    return bool(_user_roles(user) & allowed_roles(model, action))


def scope_for(user, action: str, model) -> Scope:
    """The part of the data the user reaches for this action: all, a region subtree, one
    entity, or nothing. Agency roles win over entity roles when a user has both."""
    from sanpin.accounts.choices import ENTITY_ROLES, NATIONAL_ROLES, AgencyLevel

    roles = _user_roles(user) & allowed_roles(model, action)
    if not roles:
        return Scope(NONE)
    agency_roles = roles - ENTITY_ROLES
    if agency_roles:
        if agency_roles & NATIONAL_ROLES and user.agency_id is None:
            return Scope(ALL)
        if user.agency_id:
            agency = user.agency
            if agency.level == AgencyLevel.NATIONAL:
                return Scope(ALL)
            return Scope(REGION, agency.region.scope_prefix)
    if roles & ENTITY_ROLES and user.entity_id:
        return Scope(ENTITY, user.entity_id)
    return Scope(NONE)


def apply_scope(queryset, scope: Scope):
    rule: ScopeRule = queryset.model.scope
    if scope.kind == ALL:
        return queryset
    if scope.kind == REGION and rule.region_field:
        return queryset.filter(**{f"{rule.region_field}__code__startswith": scope.value})
    if scope.kind == ENTITY and rule.entity_field:
        return queryset.filter(**{rule.entity_field: scope.value})
    return queryset.none()


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Only the rows `user` may reach for `action`; none for an unknown user or role."""
        return apply_scope(self, scope_for(user, action, self.model))


def access_by_id(model_or_queryset, user, pk, action: str = "view"):
    """One object the user may reach, or PermissionDenied (wrong role) / NotFound (missing or
    out of scope)."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    if not can(user, action, queryset.model):
        raise PermissionDenied()
    try:
        return queryset.restrict(user, action).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def require_role(user, roles) -> None:
    """For actions that are not on a scoped model (e.g. editing the calendar)."""
    if not (_user_roles(user) & frozenset(roles)):
        raise PermissionDenied()
