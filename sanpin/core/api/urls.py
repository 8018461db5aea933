from django.urls import path

from . import views

urlpatterns = [
    path("calendar/deadline/", views.DeadlineView.as_view(), name="calendar-deadline"),
    path("calendar/holiday-notices/", views.HolidayNoticeListView.as_view(), name="calendar-holiday-notices"),
    path("calendar/days/", views.CalendarDaysView.as_view(), name="calendar-days"),
    path("jobs/<int:job_id>/", views.JobView.as_view(), name="job-detail"),
]
