from django.urls import path

from . import views

urlpatterns = [
    path("gap-certificates/", views.GAPCertificateListView.as_view(), name="gap-certificate-list"),
]
