from django.urls import path

from . import views

app_name = "sampling"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("plans/", views.PlanListView.as_view(), name="plans"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan"),
    path("plans/<int:pk>/quotas/", views.QuotaView.as_view(), name="plan_quota"),
    path("plans/<int:pk>/draw/", views.DrawView.as_view(), name="plan_draw"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
    path("tasks/<int:pk>/report/", views.ReportView.as_view(), name="task_report"),
    path("tasks/<int:pk>/assign/", views.AssignView.as_view(), name="task_assign"),
    path("standards/", views.StandardListView.as_view(), name="standards"),
    path("pass-rates/", views.PassRateView.as_view(), name="pass_rates"),
]
