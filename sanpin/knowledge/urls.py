"""Library pages: the public search and documents, staff management, deliveries, training,
coverage, and an organisation's own received documents."""

from django.urls import path

from . import views_mine, views_public, views_staff

app_name = "knowledge"
urlpatterns = [
    path("", views_public.LibraryView.as_view(), name="library"),
    path("standards/<int:pk>/", views_public.StandardDetailView.as_view(), name="standard"),
    path("standards/<int:pk>/file/", views_public.StandardFileView.as_view(), name="standard_file"),
    path("procedures/<int:pk>/", views_public.ProcedureDetailView.as_view(), name="procedure"),
    path("procedures/<int:pk>/file/", views_public.ProcedureFileView.as_view(), name="procedure_file"),
    path("manage/", views_staff.ManageView.as_view(), name="manage"),
    path("manage/standards/new/", views_staff.StandardCreateView.as_view(), name="standard_create"),
    path("manage/standards/<int:pk>/edit/", views_staff.StandardEditView.as_view(), name="standard_edit"),
    path("manage/standards/<int:pk>/withdraw/", views_staff.StandardWithdrawView.as_view(), name="standard_withdraw"),
    path("manage/procedures/new/", views_staff.ProcedureCreateView.as_view(), name="procedure_create"),
    path("manage/procedures/<int:pk>/", views_staff.ProcedureManageView.as_view(), name="procedure_manage"),
    path("manage/procedures/<int:pk>/edit/", views_staff.ProcedureEditView.as_view(), name="procedure_edit"),
    path("manage/procedures/<int:pk>/<str:action>/", views_staff.ProcedureTransitionView.as_view(),
         name="procedure_transition"),
    path("distributions/", views_staff.DistributionListView.as_view(), name="distributions"),
    path("distributions/new/", views_staff.DistributionCreateView.as_view(), name="distribution_create"),
    path("trainings/", views_staff.TrainingListView.as_view(), name="trainings"),
    path("trainings/new/", views_staff.TrainingCreateView.as_view(), name="training_create"),
    path("trainings/<int:pk>/", views_staff.TrainingDetailView.as_view(), name="training"),
    path("coverage/", views_staff.CoverageView.as_view(), name="coverage"),
    path("coverage/export/", views_staff.CoverageExportView.as_view(), name="coverage_export"),
    path("mine/", views_mine.MineView.as_view(), name="mine"),
]
