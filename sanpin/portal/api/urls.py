from django.urls import path

from . import views

urlpatterns = [
    path("public/search/", views.PublicSearchView.as_view(), name="public-search"),
    path("public/bases/", views.PublicBaseListView.as_view(), name="public-base-list"),
    path("public/bases/<str:directory_number>/", views.PublicBaseDetailView.as_view(), name="public-base-detail"),
]
