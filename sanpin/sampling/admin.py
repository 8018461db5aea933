from django.contrib import admin

from .models import Standard


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    """The standards table is admin data: indicators, limits, units and their source standard."""

    list_display = ["scheme", "category", "indicator", "test", "limit_min", "limit_max", "unit", "source_standard",
                    "is_demo"]
    list_filter = ["scheme", "test", "is_demo"]
    search_fields = ["indicator", "source_standard", "category"]
