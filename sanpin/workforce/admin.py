"""Read-only admin views: records change only through sanpin.workforce.services (audited)."""

from django.contrib import admin

from .models import LabInspection, ProficiencyTest, TrainingRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProficiencyTest)
class ProficiencyTestAdmin(ReadOnlyAdmin):
    list_display = ["lab", "scheme", "test", "programme", "tested_on", "result", "voided_at"]
    list_filter = ["scheme", "result"]


@admin.register(LabInspection)
class LabInspectionAdmin(ReadOnlyAdmin):
    list_display = ["lab", "scheme", "inspected_on", "conclusion", "voided_at"]
    list_filter = ["scheme", "conclusion"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["person", "province", "course", "organiser", "ended_on", "hours"]
    list_filter = ["province"]
