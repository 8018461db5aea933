from django.urls import path

from . import views

urlpatterns = [
    path("sampling/plans/", views.PlanListView.as_view(), name="sampling-plan-list"),
    path("sampling/plans/<int:id>/", views.PlanDetailView.as_view(), name="sampling-plan-detail"),
    path("sampling/plans/<int:id>/quotas/", views.QuotaView.as_view(), name="sampling-plan-quotas"),
    path("sampling/plans/<int:id>/draw/", views.DrawView.as_view(), name="sampling-plan-draw"),
    path("sampling/tasks/", views.TaskListView.as_view(), name="sampling-task-list"),
    path("sampling/tasks/<int:id>/", views.TaskDetailView.as_view(), name="sampling-task-detail"),
    path("sampling/tasks/<int:id>/report/", views.ReportView.as_view(), name="sampling-task-report"),
    path("sampling/tasks/<int:id>/assign/", views.AssignView.as_view(), name="sampling-task-assign"),
    path("sampling/standards/", views.StandardListView.as_view(), name="sampling-standard-list"),
    path("stats/sampling-pass-rates/", views.PassRatesView.as_view(), name="stats-sampling-pass-rates"),
]
