from django.urls import path

from . import views

urlpatterns = [
    path("records-import/", views.ImportView.as_view(), name="records-import"),
    path("records-import/documents/<int:document_id>/", views.DocumentView.as_view(), name="records-import-document"),
]
