"""Read-only admin: certificates change only through services (status history, audit)."""

from django.contrib import admin

from .models import Announcement, AnnouncementItem, Certificate, CertificateChange, StatusChange


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
