from django.urls import path

from . import views

app_name = "certification"
urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("applications/", views.ApplicationListView.as_view(), name="list"),
    path("applications/new/", views.ApplicationCreateView.as_view(), name="create"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="detail"),
    path("applications/<int:pk>/submit/", views.ApplicationSubmitView.as_view(), name="submit"),
    path("applications/<int:pk>/act/", views.ApplicationActView.as_view(), name="act"),
    path("applications/<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="attachment_add"),
    path("applications/<int:pk>/inputs/", views.DeclaredInputAddView.as_view(), name="input_add"),
    path("applications/<int:pk>/inputs/<int:item_id>/remove/", views.DeclaredInputRemoveView.as_view(),
         name="input_remove"),
    path("applications/<int:pk>/attachments/<int:attachment_id>/", views.AttachmentDownloadView.as_view(),
         name="attachment"),
]
