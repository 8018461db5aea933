"""Django admin for system administrators: the audit trail is read-only here as everywhere."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import AuditEvent, NumberSequence


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "created_at", "actor_repr", "verb", "target_type", "target_repr", "ip")
    list_filter = ("verb", "target_type")
    search_fields = ("actor_repr", "target_repr", "target_id", "reason")
    ordering = ("-seq",)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": format_html(
            '审计事件 · <a href="{}">校验审计链</a>', reverse("core:audit_verify"))}
        return super().changelist_view(request, extra_context)


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ("key", "last_value", "updated_at")
    search_fields = ("key",)
