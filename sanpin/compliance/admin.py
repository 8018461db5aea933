"""Admin for 合格证 records. Receipts and violations are read-only here: a receipt must be kept six
months (SPEC §10) and the admin offers no delete at all; changes go through the services."""

from django.contrib import admin

from .models import Receipt, Violation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("code", "receiver", "received_at", "quantity", "check_result", "keep_until")
    list_filter = ("check_result",)
    search_fields = ("code",)
    raw_id_fields = ("receiver", "recorded_by")
    show_full_result_count = False


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = ("entity", "kind", "occurred_on", "code", "reported_by")
    list_filter = ("kind",)
    search_fields = ("code", "entity__name")
    raw_id_fields = ("entity", "reported_by")
