"""合格证 pages, included at the site root: the app's pages under compliance/ and the short public
scan path c/<code>/ that the QR codes carry."""

from django.urls import path

from . import views, views_labels, views_receiving

app_name = "compliance"
urlpatterns = [
    path("compliance/", views.ComplianceListView.as_view(), name="list"),
    path("compliance/new/", views.ComplianceIssueView.as_view(), name="issue"),
    path("compliance/upload/", views.ComplianceUploadView.as_view(), name="upload"),
    path("compliance/upload/template.csv", views.ComplianceTemplateView.as_view(), name="upload_template"),
    path("compliance/certificates/<str:code>/", views.ComplianceDetailView.as_view(), name="detail"),
    path("compliance/receive/", views_receiving.ReceiveView.as_view(), name="receive"),
    path("compliance/receipts/", views_receiving.ReceiptListView.as_view(), name="receipts"),
    path("compliance/receipts/<int:pk>/photo/", views_receiving.ReceiptPhotoView.as_view(), name="receipt_photo"),
    path("compliance/reissue/", views_receiving.ReissueView.as_view(), name="reissue"),
    path("compliance/violations/", views_receiving.ViolationListView.as_view(), name="violations"),
    path("compliance/rates/", views_receiving.RateView.as_view(), name="rates"),
    path("compliance/labels/", views_labels.LabelsView.as_view(), name="labels"),
    path("c/<str:code>/", views.ComplianceScanView.as_view(), name="scan"),
]
