"""Read-only admin: certificates change only through services (status history, audit)."""

from django.contrib import admin

from .models import (
    Announcement,
    AnnouncementItem,
    Certificate,
    CertificateChange,
    Certifier,
    OrganicCode,
    OrganicCodeBatch,
    StatusChange,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "scheme", "holder", "product_name", "valid_from", "valid_until", "status")
    list_filter = ("scheme", "status")
    search_fields = ("number", "product_name", "holder__name")


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("certificate", "from_status", "to_status", "reference", "actor", "at")


@admin.register(CertificateChange)
class CertificateChangeAdmin(ReadOnlyAdmin):
    list_display = ("certificate", "reference", "actor", "at")


class AnnouncementItemInline(admin.TabularInline):
    model = AnnouncementItem
    extra = 0
    can_delete = False


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "published_on", "published_by")
    inlines = [AnnouncementItemInline]


@admin.register(Certifier)
class CertifierAdmin(admin.ModelAdmin):
    """Certifiers are reference data entered from CNCA's published list."""

    list_display = ["code", "name", "approval_number"]
    search_fields = ["code", "name", "approval_number"]


@admin.register(OrganicCodeBatch)
class OrganicCodeBatchAdmin(ReadOnlyAdmin):
    list_display = ["pk", "certificate", "certifier", "year", "quantity", "count", "issued_at"]
    list_select_related = ["certificate", "certifier"]


@admin.register(OrganicCode)
class OrganicCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "batch"]
    search_fields = ["=code"]
    list_select_related = ["batch"]
