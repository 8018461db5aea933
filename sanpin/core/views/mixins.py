"""Page-view guards: sign-in first (anonymous → login page), then the role (wrong role → 403).
Scope is applied by the queries themselves (restrict / access_by_id → 404)."""

from django.contrib.auth.mixins import LoginRequiredMixin

from sanpin.core.access import require_role


class RoleRequiredMixin(LoginRequiredMixin):
    """`roles = {...}`: the roles that may open the view at all."""

    roles: frozenset = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_role(request.user, self.roles)
        return super().dispatch(request, *args, **kwargs)
