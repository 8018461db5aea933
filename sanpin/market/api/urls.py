from django.urls import path

from . import views

urlpatterns = [
    path("public/listings/", views.PublicListingListView.as_view(), name="public-listing-list"),
    path("public/listings/<int:pk>/", views.PublicListingDetailView.as_view(), name="public-listing-detail"),
    path("public/dealers/", views.PublicDealerListView.as_view(), name="public-dealer-list"),
    path("listings/", views.ListingListView.as_view(), name="listing-list"),
    path("listings/<int:pk>/withdraw/", views.ListingWithdrawView.as_view(), name="listing-withdraw"),
    path("inquiries/", views.InquiryListView.as_view(), name="inquiry-list"),
    path("inquiries/<int:pk>/reply/", views.InquiryReplyView.as_view(), name="inquiry-reply"),
]
