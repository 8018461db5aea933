from django.contrib import admin

from .models import AllowedInputList


@admin.register(AllowedInputList)
class AllowedInputListAdmin(admin.ModelAdmin):
    """Read-only: lists change through the services (with their audit events)."""

    list_display = ("title", "kind", "issuer_region", "effective_from", "effective_until", "status")
    list_filter = ("kind", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
