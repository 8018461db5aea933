"""Oversight records in the Django admin: read-only, since every change goes through
sanpin.oversight.services (with its audit event)."""

from django.contrib import admin

from .models import Complaint, FlightInspection, LabelFiling, MarkCase, MarketCheck, RiskProject, RiskRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RiskProject)
class RiskProjectAdmin(ReadOnlyAdmin):
    list_display = ["number", "year", "scheme", "title", "organiser"]
    list_filter = ["year", "scheme"]
    search_fields = ["number", "title", "focus"]


@admin.register(RiskRecord)
class RiskRecordAdmin(ReadOnlyAdmin):
    list_display = ["sample_code", "project", "indicator", "value", "unit", "finding", "region"]
    list_filter = ["finding"]
    search_fields = ["sample_code", "product_name", "certificate__number"]


@admin.register(FlightInspection)
class FlightInspectionAdmin(ReadOnlyAdmin):
    list_display = ["number", "certificate", "planned_on", "status", "conclusion"]
    list_filter = ["status", "conclusion"]
    search_fields = ["number", "certificate__number", "certificate__holder__name"]


@admin.register(MarketCheck)
class MarketCheckAdmin(ReadOnlyAdmin):
    list_display = ["number", "place", "place_kind", "region", "checked_on"]
    list_filter = ["place_kind"]
    search_fields = ["number", "place"]


@admin.register(MarkCase)
class MarkCaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "seller", "place", "region", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "seller", "place", "item__number_shown"]


@admin.register(LabelFiling)
class LabelFilingAdmin(ReadOnlyAdmin):
    list_display = ["number", "certificate", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["number", "certificate__number", "certificate__holder__name"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "product_name", "region", "status", "result", "created_at"]
    list_filter = ["status", "result"]
    search_fields = ["tracking_code", "product_name", "number_shown"]
