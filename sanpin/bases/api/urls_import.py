from django.urls import path

from . import views_import

urlpatterns = [
    path("bases/import/", views_import.ImportView.as_view(), name="bases-import"),
    path("bases/export/", views_import.ExportView.as_view(), name="bases-export"),
]
