from django.contrib import admin

from .models import BuyerProfile, Inquiry, SupplyListing


class ReadOnlyAdmin(admin.ModelAdmin):
    """Market rows change only through sanpin.market.services, with their audit trail."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BuyerProfile)
class BuyerProfileAdmin(ReadOnlyAdmin):
    list_display = ["entity", "buyer_type", "listed", "updated_at"]
    list_filter = ["buyer_type", "listed"]
    search_fields = ["entity__name", "entity__uscc"]


@admin.register(SupplyListing)
class SupplyListingAdmin(ReadOnlyAdmin):
    list_display = ["product_name", "holder", "certificate", "status", "created_at"]
    list_filter = ["status", "product_field"]
    search_fields = ["product_name", "holder__name", "certificate__number"]


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdmin):
    list_display = ["listing", "buyer", "status", "created_at"]
    list_filter = ["status"]
