from django.urls import path

from . import views

urlpatterns = [
    path("public/allowed-inputs/", views.PublicAllowedInputsView.as_view(), name="public-allowed-inputs"),
    path("allowed-input-lists/", views.AllowedInputListsView.as_view(), name="allowed-input-list-list"),
    path("allowed-input-lists/<int:pk>/", views.AllowedInputListDetailView.as_view(),
         name="allowed-input-list-detail"),
    path("allowed-input-lists/<int:pk>/import/", views.AllowedInputListImportView.as_view(),
         name="allowed-input-list-import"),
]
