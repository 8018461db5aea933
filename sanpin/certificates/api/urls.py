from django.urls import path

from . import views

urlpatterns = [
    path("certificates/", views.CertificateListView.as_view(), name="certificate-list"),
    path("certificates/<str:number>/", views.CertificateDetailView.as_view(), name="certificate-detail"),
    path("certificates/<str:number>/pdf/", views.CertificatePdfView.as_view(), name="certificate-pdf"),
    path("certificates/<str:number>/status/", views.CertificateStatusView.as_view(), name="certificate-status"),
    path("certificates/<str:number>/organic-codes/", views.OrganicCodeBatchListView.as_view(),
         name="certificate-organic-codes"),
    path("certificates/<str:number>/organic-codes/<int:batch_id>/csv/", views.OrganicCodeExportView.as_view(),
         name="certificate-organic-codes-csv"),
    path("announcements/", views.AnnouncementListView.as_view(), name="announcement-list"),
    path("public/verify/", views.VerifyView.as_view(), name="public-verify"),
    path("public/keys/", views.PublicKeysView.as_view(), name="public-keys"),
]
