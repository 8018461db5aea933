"""Django admin: fee schedules are kept here by system administrators (audited); applications
and their steps are read-only (they move only through the engine)."""

from django.contrib import admin

from sanpin.accounts.admin import AuditedAdmin
from sanpin.core.admin import ReadOnlyAdmin

from .models import Application, Event, FeeSchedule, FeeWaiverRule


@admin.register(FeeSchedule)
class FeeScheduleAdmin(AuditedAdmin):
    list_display = ("scheme", "item", "amount", "effective_from", "effective_until", "source")
    list_filter = ("scheme", "item")


@admin.register(FeeWaiverRule)
class FeeWaiverRuleAdmin(AuditedAdmin):
    list_display = ("scheme", "condition", "items", "years_after_exit", "reduction_percent", "effective_from",
                    "effective_until", "source")
    list_filter = ("scheme", "condition")


class EventInline(admin.TabularInline):
    model = Event
    fields = ("at", "action", "from_state", "to_state", "actor", "opinion")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("number", "scheme", "kind", "entity", "state", "submitted_at", "closed_at")
    list_filter = ("scheme", "kind", "state")
    search_fields = ("number", "entity__name", "entity__uscc")
    inlines = [EventInline]
