from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("risk/", views.RiskProjectListView.as_view(), name="risk_projects"),
    path("risk/<int:pk>/", views.RiskProjectDetailView.as_view(), name="risk_project"),
    path("risk/records/<int:pk>/", views.RiskRecordView.as_view(), name="risk_record"),
    path("flights/", views.FlightListView.as_view(), name="flights"),
    path("flights/<int:pk>/", views.FlightDetailView.as_view(), name="flight"),
    path("market/", views.MarketCheckListView.as_view(), name="market_checks"),
    path("market/figures/", views.MarketFiguresView.as_view(), name="market_figures"),
    path("market/cases/", views.MarkCaseListView.as_view(), name="cases"),
    path("market/cases/<int:pk>/", views.MarkCaseDetailView.as_view(), name="case"),
    path("market/<int:pk>/", views.MarketCheckDetailView.as_view(), name="market_check"),
    path("market/<int:pk>/items/<int:item_id>/rectify/", views.MarketItemRectifyView.as_view(),
         name="market_item_rectify"),
    path("labels/", views.LabelListView.as_view(), name="labels"),
    path("labels/<int:pk>/", views.LabelDetailView.as_view(), name="label"),
    path("labels/<int:pk>/file/", views.LabelFileView.as_view(), name="label_file"),
    path("complaints/", views.ComplaintListView.as_view(), name="complaints"),
    path("complaints/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint"),
    path("complaints/<int:pk>/assign/", views.ComplaintAssignView.as_view(), name="complaint_assign"),
    path("complaints/<int:pk>/close/", views.ComplaintCloseView.as_view(), name="complaint_close"),
    path("complaints/<int:pk>/photo/", views.ComplaintPhotoView.as_view(), name="complaint_photo"),
    # Public: no sign-in.
    path("report/", views.ComplaintNewView.as_view(), name="complaint_new"),
    path("report/track/", views.ComplaintTrackView.as_view(), name="complaint_track"),
]
