"""Django admin: read-only views of the catalog. Changes go through the catalog pages and
services, which check scope, validate and write the audit trail."""

from django.contrib import admin

from .models import Country, Entity, Region, Trademark


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "full_name", "level", "number_code", "number_code_basis", "poverty_exit_county",
                    "poverty_exit_year", "key_assistance_county", "is_active", "admin_edited_at")
    list_filter = ("level", "number_code_basis", "poverty_exit_county", "key_assistance_county", "is_active")
    search_fields = ("code", "name", "full_name")


@admin.register(Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ("iso_code", "name", "number_code", "first_certified_on")
    search_fields = ("iso_code", "name")


class TrademarkInline(admin.TabularInline):
    model = Trademark
    extra = 0
    can_delete = False
    fields = ("name", "registration_no", "nice_class", "valid_until")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Entity)
class EntityAdmin(ReadOnlyAdmin):
    list_display = ("name", "uscc", "kind", "region", "contact_name", "contact_phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "uscc")
    list_select_related = ("region",)
    inlines = [TrademarkInline]
