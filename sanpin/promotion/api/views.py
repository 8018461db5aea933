"""Promotion under /api/v1/: public events and award lists (no sign-in, throttled), an entity's
sign-up for an event, and the staff's scoped outlet and specialist lists. Thin: parse → access →
service/selector → serialize. Errors leave as {"code", "message", "fields"}."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.pagination import StandardPagination
from sanpin.api.schema import ErrorBodySerializer
from sanpin.api.throttling import ScopedWindowThrottle
from sanpin.certificates.models import Certificate
from sanpin.certificates.selectors import term_on
from sanpin.core import clock
from sanpin.core.api.lists import ScopedListView
from sanpin.core.errors import ValidationFailed

from .. import selectors, services
from ..choices import AwardListStatus, EventKind
from ..filtersets import OutletFilterSet, SpecialistFilterSet
from ..models import Outlet, PromotionSpecialist, SpecialistTraining
from .serializers import (
    OutletSerializer,
    ParticipationSerializer,
    PublicAwardListDetailSerializer,
    PublicAwardListSerializer,
    PublicEventDetailSerializer,
    PublicEventSerializer,
    SignUpInSerializer,
    SpecialistSerializer,
)

TAGS = ["promotion"]
ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404, 409)}


class _Public(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"


def _verify_url(request, number: str) -> str:
    return request.build_absolute_uri(reverse("verify-scan", args=[number]))


def _event(event) -> dict:
    return {"id": event.pk, "kind": event.kind, "kind_label": event.get_kind_display(), "title": event.title,
            "starts_on": event.starts_on, "ends_on": event.ends_on, "place": event.place,
            "organiser": {"id": event.organiser_id, "name": event.organiser.name},
            "signup_deadline": event.signup_deadline, "status": event.status,
            "status_label": event.get_status_display(), "visitors": event.visitors, "deals_count": event.deals_count,
            "deals_amount": event.deals_amount}


class PublicEventListView(_Public):
    @extend_schema(
        tags=["public"], summary="展会与宣传活动（公开）",
        description="不含草稿。when=upcoming 为未结束的活动（按开始日期升序），"
                    "when=past 为已结束的活动（按开始日期降序）；不填为全部（按开始日期降序）。",
        parameters=[OpenApiParameter("when", OpenApiTypes.STR, enum=["upcoming", "past"]),
                    OpenApiParameter("kind", OpenApiTypes.STR, description="活动类型：" + "、".join(EventKind.values)),
                    OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: PublicEventSerializer(many=True), 400: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request):
        when = request.query_params.get("when", "").strip()
        kind = request.query_params.get("kind", "").strip()
        errors = {}
        if when not in ("", "upcoming", "past"):
            errors["when"] = _("应为 upcoming 或 past")
        if kind and kind not in EventKind.values:
            errors["kind"] = _("活动类型应为：%(v)s") % {"v": "、".join(EventKind.values)}
        if errors:
            raise ValidationFailed(fields=errors)
        upcoming, past = selectors.upcoming_and_past(clock.today())
        rows = {"upcoming": upcoming, "past": past}.get(when) or selectors.public_events().order_by("-starts_on", "-pk")
        if kind:
            rows = rows.filter(kind=kind)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(PublicEventSerializer([_event(e) for e in page], many=True).data)


class PublicEventDetailView(_Public):
    @extend_schema(
        tags=["public"], summary="活动详情（公开）：审核通过的参展主体、可展示的证书与举办结果",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: PublicEventDetailSerializer, 404: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request, pk):
        event = selectors.public_event(pk)
        participants = [{
            "entity": p.entity.name, "products": p.product_list,
            "certificates": [{"number": s.certificate.number, "product_name": s.certificate.product_name,
                              "scheme": s.certificate.scheme, "verify_url": _verify_url(request, s.certificate.number)}
                             for s in p.shown.all() if not s.flagged],
            "deals_count": p.deals_count, "deals_amount": p.deals_amount,
        } for p in selectors.approved_participations(event)]
        body = {**_event(event), "description": event.description, "results_note": event.results_note,
                "cancel_reason": event.cancel_reason, "participants": participants,
                "award_lists": list(event.award_lists.filter(status=AwardListStatus.PUBLISHED)
                                    .values_list("pk", flat=True))}
        return Response(PublicEventDetailSerializer(body).data)


def _award_list(award_list) -> dict:
    return {"id": award_list.pk, "title": award_list.title,
            "organiser": {"id": award_list.organiser_id, "name": award_list.organiser.name},
            "year": award_list.year, "event": award_list.event_id, "published_on": award_list.published_on,
            "source": award_list.source, "entry_count": award_list.entry_count}


class PublicAwardListsView(_Public):
    @extend_schema(
        tags=["public"], summary="品鉴评优获奖名单（公开，仅已发布）",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT), OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: PublicAwardListSerializer(many=True), 400: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request):
        rows = selectors.public_award_lists()
        year = request.query_params.get("year", "").strip()
        if year:
            if not year.isdigit():
                raise ValidationFailed(fields={"year": _("应为整数")})
            rows = rows.filter(year=int(year))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            PublicAwardListSerializer([_award_list(a) for a in page], many=True).data)


class PublicAwardListDetailView(_Public):
    @extend_schema(
        tags=["public"], summary="获奖名单详情（公开）：每个获奖产品及其证书验证地址",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: PublicAwardListDetailSerializer, 404: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request, pk):
        award_list = selectors.public_award_list(pk)
        entries = [{"rank": e.rank, "award": e.award, "product": e.product, "holder": e.certificate.holder.name,
                    "certificate": e.certificate.number, "verify_url": _verify_url(request, e.certificate.number)}
                   for e in selectors.award_entries(award_list)]
        return Response(PublicAwardListDetailSerializer({**_award_list(award_list), "entries": entries}).data)


def _participation(participation) -> dict:
    return {"id": participation.pk, "event": participation.event_id, "entity": participation.entity.name,
            "status": participation.status, "signed_up_on": participation.signed_up_on,
            "products": participation.product_list,
            "certificates": [s.certificate.number for s in participation.shown.select_related("certificate")]}


class EventParticipationsView(APIView):
    @extend_schema(
        tags=TAGS, summary="报名参加活动（获证主体）", request=SignUpInSerializer,
        description="活动须在报名中且未过报名截止日期（否则 409）；每张证书须为本单位持有、报名当天有效，至少一张，"
                    "并至少填写一个展示产品；否则 400，fields 指明原因，不写入任何内容。同一主体重复报名 409。",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={201: ParticipationSerializer, **ERRORS},
    )
    def post(self, request, pk):
        event = selectors.public_event(pk)
        body = SignUpInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        today = clock.today()
        certificates, missing = [], []
        for number in dict.fromkeys(n.strip() for n in body.validated_data["certificates"]):
            term = term_on(Certificate.objects.select_related("holder"), number, today)
            (certificates if term else missing).append(term or number)
        if missing:
            raise ValidationFailed(fields={"certificates": _("未找到证书：%(n)s") % {"n": "、".join(missing)}})
        participation = services.participation_sign_up(
            actor=request.user, event=event, certificates=certificates,
            products="\n".join(body.validated_data["products"]), booth=body.validated_data["booth"])
        return Response(ParticipationSerializer(_participation(participation)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="市场专区、商超专柜（按管辖范围）",
    description="工作机构人员看到本辖区的专区专柜。state=active 为统计日（on，默认今天）开设中、计入目标的，"
                "inactive 为其余；筛选参数与列表页相同，有误答 400。",
    responses={200: OutletSerializer(many=True), **ERRORS},
))
class OutletListView(ScopedListView):
    serializer_class = OutletSerializer
    model = Outlet
    filterset_class = OutletFilterSet

    def rows(self):
        return Outlet.objects.restrict(self.request.user, "view").select_related("district").order_by(
            "district_id", "kind", "host_name", "pk")


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="推广专员（按管辖范围，含培训记录）",
    description="state=active 为统计日（on，默认今天）已登记、至少培训过一次且未离岗、计入目标的推广专员，"
                "inactive 为其余；筛选参数与列表页相同，有误答 400。",
    responses={200: SpecialistSerializer(many=True), **ERRORS},
))
class SpecialistListView(ScopedListView):
    serializer_class = SpecialistSerializer
    model = PromotionSpecialist
    filterset_class = SpecialistFilterSet

    def rows(self):
        trainings = SpecialistTraining.objects.order_by("-trained_on", "-pk")
        return (PromotionSpecialist.objects.restrict(self.request.user, "view").select_related("district")
                .prefetch_related(Prefetch("trainings", queryset=trainings)).order_by("district_id", "name", "pk"))
