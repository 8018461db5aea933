from django.urls import path

from .views import ApplicationViewSet, TaskViewSet

applications = ApplicationViewSet.as_view({"get": "list", "post": "create"})
application = ApplicationViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("applications/", applications, name="application-list"),
    path("applications/<int:pk>/", application, name="application-detail"),
    path("applications/<int:pk>/submit/", ApplicationViewSet.as_view({"post": "submit"}), name="application-submit"),
    path("applications/<int:pk>/actions/", ApplicationViewSet.as_view({"get": "actions", "post": "actions"}),
         name="application-actions"),
    path("applications/<int:pk>/attachments/", ApplicationViewSet.as_view({"post": "attachments"}),
         name="application-attachments"),
    path("applications/<int:pk>/attachments/<int:attachment_id>/", ApplicationViewSet.as_view({"get": "attachment"}),
         name="application-attachment"),
    path("applications/<int:pk>/inputs/", ApplicationViewSet.as_view({"post": "inputs"}), name="application-inputs"),
    path("applications/<int:pk>/inputs/<int:item_id>/", ApplicationViewSet.as_view({"delete": "input_remove"}),
         name="application-input"),
    path("tasks/", TaskViewSet.as_view({"get": "list"}), name="task-list"),
]
