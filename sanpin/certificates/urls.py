from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.CertificateListView.as_view(), name="list"),
    path("announcements/", views.AnnouncementListView.as_view(), name="announcements"),
    path("announcements/new/", views.AnnouncementCreateView.as_view(), name="announcement_create"),
    path("<str:number>/", views.CertificateDetailView.as_view(), name="detail"),
    path("<str:number>/status/", views.CertificateStatusView.as_view(), name="set_status"),
    path("<str:number>/organic-codes/", views.OrganicCodesIssueView.as_view(), name="organic_codes_issue"),
    path("<str:number>/organic-codes/<int:batch_id>/csv/", views.OrganicCodesExportView.as_view(),
         name="organic_codes_csv"),
    path("<str:number>/recover/", views.CertificateRecoverView.as_view(), name="recover"),
]
