"""Scoped list endpoints, written once. The list endpoints of oversight, inspections, supervision
and workforce each checked "may this role see the model at all" (403), returned an empty queryset
while the schema is generated (there is no user then), read integer query parameters, and
repeated a `get` only to carry its schema; here once, with the schema set per class through
`extend_schema_view(get=...)`."""

from abc import ABCMeta, abstractmethod

from django.utils.translation import gettext as _
from rest_framework import generics

from sanpin.core.access import can
from sanpin.core.errors import PermissionDenied, ValidationFailed


def int_param(request, name: str) -> int | None:
    """The query parameter `name` as an integer; None when absent, a 400 on the field when not digits."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationFailed(fields={name: _("应为整数")})
    return int(raw)


class ScopedListView(generics.ListAPIView, metaclass=ABCMeta):
    # GET: 403 unless the caller may `view` `model` at all, then `check_params()` (400s), then the
    # caller's rows from `rows()`, which scopes them through the app's selector. (A comment, not a
    # docstring: drf-spectacular would publish it as the description of every subclass without one.)

    model = None  # the model whose "view" permission opens the list

    @abstractmethod
    def rows(self):
        """The caller's rows, scoped through the app's selector."""

    def check_params(self, request) -> None:
        """Refuse bad query parameters (after the permission check, before any row is read)."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to scope by
            return self.model.objects.none()
        return self.rows()

    def list(self, request, *args, **kwargs):
        if not can(request.user, "view", self.model):
            raise PermissionDenied()
        self.check_params(request)
        return super().list(request, *args, **kwargs)
