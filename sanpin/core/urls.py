from django.urls import path

from .views import audit

app_name = "core"
urlpatterns = [
    path("audit/", audit.AuditListView.as_view(), name="audit_list"),
    path("audit/verify/", audit.AuditVerifyView.as_view(), name="audit_verify"),
    path("audit/<int:seq>/", audit.AuditDetailView.as_view(), name="audit_detail"),
]
