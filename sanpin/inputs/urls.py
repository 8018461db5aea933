from django.urls import path

from . import views

app_name = "inputs"
urlpatterns = [
    path("", views.PublicSearchView.as_view(), name="search"),
    path("lists/", views.ListIndexView.as_view(), name="lists"),
    path("lists/new/", views.ListCreateView.as_view(), name="list_create"),
    path("lists/<int:pk>/", views.ListDetailView.as_view(), name="list"),
    path("lists/<int:pk>/edit/", views.ListEditView.as_view(), name="list_edit"),
    path("lists/<int:pk>/publish/", views.ListPublishView.as_view(), name="list_publish"),
    path("lists/<int:pk>/retire/", views.ListRetireView.as_view(), name="list_retire"),
    path("lists/<int:pk>/new-version/", views.ListNewVersionView.as_view(), name="list_new_version"),
    path("lists/<int:pk>/inputs/", views.InputAddView.as_view(), name="input_add"),
    path("lists/<int:pk>/import/", views.ListImportView.as_view(), name="list_import"),
    path("lists/<int:pk>/export.xlsx", views.ListExportView.as_view(), name="list_export"),
    path("entries/<int:pk>/remove/", views.InputRemoveView.as_view(), name="input_remove"),
    path("entries/<int:pk>/limits/", views.LimitAddView.as_view(), name="limit_add"),
    path("limits/<int:pk>/remove/", views.LimitRemoveView.as_view(), name="limit_remove"),
    path("template.xlsx", views.TemplateDownloadView.as_view(), name="template"),
]
