from django.urls import path

from . import views

urlpatterns = [
    path("oversight/risk-projects/", views.RiskProjectListView.as_view(), name="oversight-risk-project-list"),
    path("oversight/risk-records/", views.RiskRecordListView.as_view(), name="oversight-risk-record-list"),
    path("oversight/flight-inspections/", views.FlightInspectionListView.as_view(), name="oversight-flight-list"),
    path("oversight/market-checks/", views.MarketCheckListView.as_view(), name="oversight-market-check-list"),
    path("oversight/mark-cases/", views.MarkCaseListView.as_view(), name="oversight-mark-case-list"),
    path("oversight/market-figures/", views.MarketFiguresView.as_view(), name="oversight-market-figures"),
    path("oversight/label-filings/", views.LabelFilingListView.as_view(), name="oversight-label-list"),
    path("oversight/complaints/", views.ComplaintListView.as_view(), name="oversight-complaint-list"),
    path("public/complaints/", views.PublicComplaintView.as_view(), name="public-complaint"),
    path("public/complaints/<str:tracking_code>/", views.PublicComplaintStatusView.as_view(),
         name="public-complaint-status"),
]
