"""Market pages (产销对接): public listing search, listing pages and the dealer directory; buyer
sign-up and profile; holders' listings and inquiry inbox; buyers' inquiries; staff take-down."""

from django.urls import path

from . import views_buyer, views_holder, views_public, views_staff

app_name = "market"
urlpatterns = [
    path("", views_public.ListingSearchView.as_view(), name="index"),
    path("listings/<int:pk>/", views_public.ListingDetailView.as_view(), name="listing_detail"),
    path("listings/<int:pk>/inquire/", views_buyer.InquireView.as_view(), name="inquire"),
    path("dealers/", views_public.DealerDirectoryView.as_view(), name="dealers"),
    path("buyers/signup/", views_public.BuyerSignupView.as_view(), name="buyer_signup"),
    path("buyers/profile/", views_buyer.BuyerProfileView.as_view(), name="buyer_profile"),
    path("mine/", views_holder.MyListingsView.as_view(), name="my_listings"),
    path("mine/new/", views_holder.ListingCreateView.as_view(), name="listing_create"),
    path("mine/<int:pk>/edit/", views_holder.ListingEditView.as_view(), name="listing_edit"),
    path("mine/<int:pk>/withdraw/", views_holder.ListingWithdrawView.as_view(), name="listing_withdraw"),
    path("mine/<int:pk>/republish/", views_holder.ListingRepublishView.as_view(), name="listing_republish"),
    path("inbox/", views_holder.InboxView.as_view(), name="inbox"),
    path("inquiries/", views_buyer.MyInquiriesView.as_view(), name="my_inquiries"),
    path("inquiries/<int:pk>/", views_holder.InquiryDetailView.as_view(), name="inquiry_detail"),
    path("staff/", views_staff.StaffListingsView.as_view(), name="staff_listings"),
    path("staff/<int:pk>/take-down/", views_staff.ListingTakeDownView.as_view(), name="listing_take_down"),
]
