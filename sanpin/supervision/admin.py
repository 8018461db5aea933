"""Supervision records in the Django admin: read-only, since every change goes through
sanpin.supervision.services (with its audit event)."""

from django.contrib import admin

from .models import ApplicationBan, Rectification, RectificationEvidence, RevocationRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = RectificationEvidence
    fields = ["filename", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["number", "certificate", "cause", "source", "opened_on", "due_on", "status"]
    list_filter = ["status", "source", "certificate__scheme"]
    search_fields = ["number", "certificate__number", "certificate__holder__name"]
    inlines = [EvidenceInline]


@admin.register(RevocationRequest)
class RevocationRequestAdmin(ReadOnlyAdmin):
    list_display = ["number", "certificate", "requested_on", "status", "serious"]
    list_filter = ["status", "serious", "certificate__scheme"]
    search_fields = ["number", "certificate__number", "certificate__holder__name"]


@admin.register(ApplicationBan)
class ApplicationBanAdmin(ReadOnlyAdmin):
    list_display = ["entity", "scheme", "starts_on", "until", "revocation"]
    list_filter = ["scheme"]
    search_fields = ["entity__name", "entity__uscc"]
