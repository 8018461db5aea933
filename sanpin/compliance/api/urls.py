from django.urls import path

from . import receiving, views

urlpatterns = [
    path("compliance-certificates/", views.ComplianceCertificateListView.as_view(), name="compliance-certificate-list"),
    path("compliance-certificates/<str:code>/receive/", receiving.ReceiveView.as_view(), name="compliance-receive"),
    path("compliance-receipts/", receiving.ReceiptListView.as_view(), name="compliance-receipt-list"),
    path("compliance-violations/", receiving.ViolationListView.as_view(), name="compliance-violation-list"),
    path("stats/compliance-issuing-rates/", receiving.IssuingRatesView.as_view(),
         name="stats-compliance-issuing-rates"),
    path("public/compliance/<str:code>/", views.PublicComplianceView.as_view(), name="public-compliance"),
]
