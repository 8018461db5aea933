from django.urls import path

from . import views_import

urlpatterns = [
    path("import/", views_import.ImportView.as_view(), name="import"),
    path("import/<int:job_id>/run/", views_import.ImportAfterCheckView.as_view(), name="import_after_check"),
    path("import/template/", views_import.TemplateView.as_view(), name="import_template"),
    path("export/", views_import.ExportView.as_view(), name="export"),
]
