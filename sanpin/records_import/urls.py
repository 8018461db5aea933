from django.urls import path

from . import views

app_name = "records_import"
urlpatterns = [
    path("", views.ImportView.as_view(), name="upload"),
    path("template.xlsx", views.TemplateView.as_view(), name="template"),
    path("refused.xlsx", views.ProblemsView.as_view(), name="problems"),
    path("documents/<int:document_id>/", views.DocumentDownloadView.as_view(), name="document"),
]
