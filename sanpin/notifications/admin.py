"""Read-only admin views of the delivery log, for administrators tracing a missing message."""

from django.contrib import admin

from .models import MessageRecord, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MessageRecord)
class MessageRecordAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "address", "subject", "status", "attempts", "sent_at")
    list_filter = ("channel", "status")
    search_fields = ("address", "subject", "recipient__username")
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "title", "read_at")
    search_fields = ("title", "recipient__username")
    date_hierarchy = "created_at"
