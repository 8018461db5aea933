from django.contrib import admin

from .models import CreditEvent, Rulebook


@admin.register(CreditEvent)
class CreditEventAdmin(admin.ModelAdmin):
    list_display = ["entity", "kind", "occurred_on", "summary", "source_type", "source_id"]
    list_filter = ["kind"]
    search_fields = ["entity__name", "entity__uscc", "summary"]
    raw_id_fields = ["entity"]
    readonly_fields = [f.name for f in CreditEvent._meta.fields]

    def has_add_permission(self, request):
        return False  # events are written by the services and feeds, with their audit trail


@admin.register(Rulebook)
class RulebookAdmin(admin.ModelAdmin):
    list_display = ["version", "effective_from", "published_at", "half_life_days", "base_score"]
    readonly_fields = [f.name for f in Rulebook._meta.fields]

    def has_add_permission(self, request):
        return False  # a new version is published through credit.services.rulebook_publish

    def has_delete_permission(self, request, obj=None):
        return False
