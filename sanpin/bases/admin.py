"""Read-only admin: a base's data and directory status change only through the services (history
rows, audit events); the admin is for looking things up."""

from django.contrib import admin

from .models import Base, BaseCheck, BaseStatusChange


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = BaseStatusChange
    fields = ("on", "from_status", "to_status", "reason", "reference", "actor")
    extra = 0


class CheckInline(ReadOnlyMixin, admin.TabularInline):
    model = BaseCheck
    fields = ("year", "checked_on", "result", "sampling", "findings", "checked_by")
    extra = 0


@admin.register(Base)
class BaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "base_type", "level", "county", "operator", "status", "directory_number")
    list_filter = ("status", "base_type", "level")
    search_fields = ("name", "products", "directory_number", "operator__name", "operator__uscc")
    raw_id_fields = ("operator", "county", "listing_application", "created_by")
    inlines = (StatusChangeInline, CheckInline)
