from django.contrib import admin

from .models import GAPCertificate


@admin.register(GAPCertificate)
class GAPCertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "certifier", "holder", "valid_from", "valid_until", "status"]
    list_filter = ["status"]
    search_fields = ["number", "certifier", "holder__name"]
    raw_id_fields = ["holder"]
    readonly_fields = ["status", "ended_on", "end_reason", "recorded_by"]
