from django.contrib import admin

from .models import AnnualConfirmation, NutritionEvaluation, QualityTest


@admin.register(AnnualConfirmation)
class AnnualConfirmationAdmin(admin.ModelAdmin):
    list_display = ["certificate", "due_on", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["certificate__number", "certificate__holder__name"]
    raw_id_fields = ["certificate"]
    readonly_fields = ["status", "submitted_by", "decided_by", "decided_at", "new_valid_until"]


@admin.register(QualityTest)
class QualityTestAdmin(admin.ModelAdmin):
    list_display = ["certificate", "lab", "tested_on", "passed"]
    search_fields = ["certificate__number", "lab", "report_number"]
    raw_id_fields = ["certificate"]
    readonly_fields = ["recorded_by"]


@admin.register(NutritionEvaluation)
class NutritionEvaluationAdmin(admin.ModelAdmin):
    list_display = ["certificate", "lab", "evaluated_on", "free", "free_basis"]
    list_filter = ["free"]
    search_fields = ["certificate__number", "lab"]
    raw_id_fields = ["certificate"]
    readonly_fields = ["free", "free_basis", "recorded_by"]
