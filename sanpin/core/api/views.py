"""Calendar endpoints: the deadline calculator, the holiday notices, and one year's special days.
Open to every signed-in user: they reveal no records, only the public State Council calendar.

And the status of a background job, for its owner only.
"""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.core import jobs, workdays
from sanpin.core.models import HolidayNotice
from sanpin.core.workdays import DayKind

from .serializers import (
    CalendarYearSerializer,
    DaysQuerySerializer,
    DeadlineQuerySerializer,
    DeadlineSerializer,
    HolidayNoticeSerializer,
    JobSerializer,
)

_ERRORS = {
    400: OpenApiResponse(ErrorBodySerializer, description="参数缺失或有误；fields 指明字段"),
    401: OpenApiResponse(ErrorBodySerializer, description="未登录"),
}


class DeadlineView(APIView):
    @extend_schema(
        operation_id="calendar_deadline",
        summary="按中国工作日计算截止日",
        description=(
            "The `working_days`-th Chinese working day after `start` (start not counted; 0 returns start). "
            "Weekends and statutory holidays are off, 调休 make-up weekend days are on. If the count runs "
            "into a year whose holiday notice is not entered yet, that year counts weekends only and the "
            "answer has `provisional: true` and a `reason`; stored deadlines are recomputed when the notice "
            "is entered."
        ),
        parameters=[DeadlineQuerySerializer],
        responses={200: DeadlineSerializer, **_ERRORS},
        tags=["calendar"],
    )
    def get(self, request):
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, n = query.validated_data["start"], query.validated_data["working_days"]
        result = workdays.add_working_days(start, n)
        body = {"start": start, "working_days": n, "deadline": result.date, "provisional": result.provisional}
        if result.provisional:
            body["reason"] = result.reason
        return Response(DeadlineSerializer(body).data)


class HolidayNoticeListView(generics.ListAPIView):
    serializer_class = HolidayNoticeSerializer
    queryset = HolidayNotice.objects.order_by("-year")
    filterset_fields = ["year", "origin"]

    @extend_schema(
        operation_id="calendar_holiday_notices_list",
        summary="节假日安排通知（每年一条）",
        responses={200: HolidayNoticeSerializer(many=True), 401: _ERRORS[401]},
        tags=["calendar"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CalendarDaysView(APIView):
    @extend_schema(
        operation_id="calendar_days",
        summary="某年与常规周历不同的日期",
        description=(
            "Only the dates that differ from the plain rule \"Monday–Friday work, weekends off\": "
            "`holiday` = a Monday–Friday day off, `makeup` = a Saturday/Sunday worked (调休). Every other "
            "date follows the plain rule. Weekend days inside a holiday span are in `notice.off_days` but "
            "not in `days`, since they are off anyway. A year without a notice has no such dates, "
            "`provisional: true` and a `reason`."
        ),
        parameters=[DaysQuerySerializer],
        responses={200: CalendarYearSerializer, **_ERRORS},
        tags=["calendar"],
    )
    def get(self, request):
        query = DaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data["year"]
        snapshot = workdays.current_snapshot()
        notice = HolidayNotice.objects.filter(year=year).first()
        days, working = [], 0
        for day, kind in workdays.days_of_year(year, snapshot=snapshot):
            is_working = kind in (DayKind.WORKDAY, DayKind.MAKEUP)
            working += is_working
            if (kind == DayKind.HOLIDAY and day.weekday() < 5) or kind == DayKind.MAKEUP:
                days.append({"date": day, "working": is_working, "kind": kind.value})
        body = {
            "year": year,
            "has_notice": notice is not None,
            "provisional": notice is None,
            "working_day_count": working,
            "notice": notice,
            "days": days,
        }
        if notice is None:
            body["reason"] = workdays.provisional_reason([year])
        return Response(CalendarYearSerializer(body).data)


class JobView(APIView):
    @extend_schema(
        operation_id="jobs_retrieve",
        summary="后台任务的状态与进度",
        description="Only the job's owner (and system administrators) may read it; anyone else gets 404. "
        "While the job runs, `done`/`total` are live.",
        responses={200: JobSerializer, 401: _ERRORS[401],
                   404: OpenApiResponse(ErrorBodySerializer, description="不存在或不是本人发起的任务")},
        tags=["jobs"],
    )
    def get(self, request, job_id):
        job = jobs.access_job(request.user, job_id)
        body = {**jobs.progress_of(job), "title": job.title, "result": job.result,
                "download": reverse("core:job_download", args=[job.pk]) if job.output_file else None,
                "created_at": job.created_at, "started_at": job.started_at, "finished_at": job.finished_at}
        return Response(JobSerializer(body).data)
