from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("rectifications/", views.RectificationListView.as_view(), name="rectifications"),
    path("rectifications/<int:pk>/", views.RectificationDetailView.as_view(), name="rectification"),
    path("rectifications/<int:pk>/answer/", views.RectificationAnswerView.as_view(), name="rectification_answer"),
    path("rectifications/<int:pk>/decide/", views.RectificationDecideView.as_view(), name="rectification_decide"),
    path("rectifications/<int:pk>/evidence/<int:evidence_id>/", views.EvidenceDownloadView.as_view(),
         name="rectification_evidence"),
    path("revocations/", views.RevocationListView.as_view(), name="revocations"),
    path("revocations/<int:pk>/", views.RevocationDetailView.as_view(), name="revocation"),
    path("revocations/<int:pk>/decide/", views.RevocationDecideView.as_view(), name="revocation_decide"),
    path("certificates/<str:number>/rectify/", views.CertificateRectifyView.as_view(), name="certificate_rectify"),
    path("certificates/<str:number>/revoke/", views.CertificateRevokeRequestView.as_view(),
         name="certificate_revoke"),
]
