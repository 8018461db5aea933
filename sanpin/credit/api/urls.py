from django.urls import path

from . import reports, views

urlpatterns = [
    path("entities/<int:pk>/credit/", views.EntityCreditView.as_view(), name="entity-credit"),
    path("credit-reports/<int:entity_id>/", reports.CreditReportView.as_view(), name="credit-report"),
]
