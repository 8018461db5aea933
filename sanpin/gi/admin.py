"""Read-only admin views: GI records change only through sanpin.gi.services."""

from django.contrib import admin

from .models import GIAuthorization, GIQualityRecord, GIRegistration, GIStatusChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GIRegistration)
class GIRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["number", "product_name", "holder", "registered_on", "status"]
    list_filter = ["status"]
    search_fields = ["number", "product_name", "holder__name"]


@admin.register(GIStatusChange)
class GIStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["registration", "from_status", "to_status", "actor", "at"]


@admin.register(GIAuthorization)
class GIAuthorizationAdmin(ReadOnlyAdmin):
    list_display = ["registration", "user_entity", "product", "valid_from", "valid_until", "status"]
    list_filter = ["status"]


@admin.register(GIQualityRecord)
class GIQualityRecordAdmin(ReadOnlyAdmin):
    list_display = ["registration", "year", "indicator", "value", "unit", "sampled_on"]
