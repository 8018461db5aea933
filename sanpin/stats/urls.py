from django.urls import path

from . import dashboards, views, views_targets

app_name = "stats"
urlpatterns = [
    path("review-quality/", views.ReviewQualityView.as_view(), name="review_quality"),
    path("targets/", views_targets.TargetsView.as_view(), name="targets"),
    path("targets/set/", views_targets.TargetSetView.as_view(), name="target_set"),
    path("targets/template/", views_targets.TargetTemplateView.as_view(), name="targets_template"),
    path("targets/import/", views_targets.TargetImportView.as_view(), name="targets_import"),
    path("targets/export/", views_targets.TargetExportView.as_view(), name="targets_export"),
    path("dashboard/", dashboards.DashboardView.as_view(), name="dashboard"),
    path("dashboard/export/", dashboards.ChartExportView.as_view(), name="dashboard_export"),
    path("annual-report/", dashboards.AnnualReportView.as_view(), name="annual_report"),
    path("snapshots/", dashboards.SnapshotListView.as_view(), name="snapshots"),
]
