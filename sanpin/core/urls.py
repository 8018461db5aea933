from django.urls import path

from .views import audit, calendar, jobs

app_name = "core"
urlpatterns = [
    path("audit/", audit.AuditListView.as_view(), name="audit_list"),
    path("audit/verify/", audit.AuditVerifyView.as_view(), name="audit_verify"),
    path("audit/<int:seq>/", audit.AuditDetailView.as_view(), name="audit_detail"),
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("calendar/notices/", calendar.HolidayListView.as_view(), name="holiday_list"),
    path("calendar/notices/new/", calendar.HolidayEditView.as_view(), name="holiday_new"),
    path("calendar/notices/<int:year>/edit/", calendar.HolidayEditView.as_view(), name="holiday_edit"),
    path("jobs/", jobs.JobListView.as_view(), name="job_list"),
    path("jobs/<int:job_id>/", jobs.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:job_id>/progress/", jobs.JobProgressView.as_view(), name="job_progress"),
    path("jobs/<int:job_id>/download/", jobs.JobDownloadView.as_view(), name="job_download"),
]
