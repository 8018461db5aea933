"""Read-only admin views of subscriptions, events and the delivery log, for tracing a missing push.
The webhook secret is never shown."""

from django.contrib import admin

from .models import CertificateEvent, Delivery, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "owner", "entity", "certificate_number", "via_inapp", "via_email", "via_webhook",
                    "active")
    list_filter = ("active", "via_webhook")
    search_fields = ("owner__username", "certificate_number", "entity__uscc", "entity__name")
    exclude = ("webhook_secret",)


@admin.register(CertificateEvent)
class CertificateEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "kind", "number", "key")
    list_filter = ("kind",)
    search_fields = ("number", "key")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "status", "attempts", "response_code", "sent_at")
    list_filter = ("channel", "status")
    search_fields = ("id", "event__number", "subscription__owner__username")
