from django.urls import path

from . import credit, views

urlpatterns = [
    path("public/search/", views.PublicSearchView.as_view(), name="public-search"),
    path("public/bases/", views.PublicBaseListView.as_view(), name="public-base-list"),
    path("public/bases/<str:directory_number>/", views.PublicBaseDetailView.as_view(), name="public-base-detail"),
    path("public/credit/", credit.PublicCreditListView.as_view(), name="public-credit"),
    path("public/credit/revocations/", credit.PublicRevocationListView.as_view(), name="public-credit-revocations"),
]
