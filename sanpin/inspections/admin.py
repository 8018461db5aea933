from django.contrib import admin

from .models import AnnualInspectionPlan, InspectionRecord, PlanItem


@admin.register(AnnualInspectionPlan)
class AnnualInspectionPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "province", "basis_date", "last_generated_on"]
    list_filter = ["year"]
    readonly_fields = ["province", "year", "schemes", "basis_date", "last_generated_on", "created_by"]


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    list_display = ["plan", "entity", "inspector", "added_on"]
    list_filter = ["plan__year"]
    search_fields = ["entity__name", "entity__uscc"]
    raw_id_fields = ["plan", "entity", "inspector", "assigned_by", "certificates"]


@admin.register(InspectionRecord)
class InspectionRecordAdmin(admin.ModelAdmin):
    list_display = ["number", "item", "inspector", "inspected_on", "conclusion"]
    list_filter = ["conclusion"]
    search_fields = ["number", "item__entity__name"]
    readonly_fields = ["number", "item", "inspector", "inspected_on", "findings", "conclusion", "recorded_by",
                       "rectifications", "revocation_requests", "skipped"]
