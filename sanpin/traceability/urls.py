from django.urls import path

from . import views

app_name = "traceability"

urlpatterns = [
    path("", views.OutboxListView.as_view(), name="outbox"),
    path("resend-failed/", views.ResendFailedView.as_view(), name="resend_failed"),
    path("<uuid:event_id>/", views.OutboxDetailView.as_view(), name="detail"),
    path("<uuid:event_id>/resend/", views.EventResendView.as_view(), name="resend"),
]
