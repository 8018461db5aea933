"""名特优新 listings under /api/v1/featured/: listings in scope (and those falling due), one listing
with its confirmations, quality tests and nutrition evaluations, the holder's annual
confirmation, the province's decision, and staff recording tests and evaluations. Thin: parse →
access → service/selector → serialize."""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.api.schema import ErrorBodySerializer
from sanpin.core import clock
from sanpin.core.access import require_role

from .. import selectors, services
from ..models import ConfirmationStatus
from .serializers import (
    FeaturedConfirmationInSerializer,
    FeaturedConfirmationSerializer,
    FeaturedDecisionInSerializer,
    FeaturedListingDetailSerializer,
    FeaturedListingSerializer,
    FeaturedNutritionEvaluationInSerializer,
    FeaturedNutritionEvaluationSerializer,
    FeaturedQualityTestInSerializer,
    FeaturedQualityTestSerializer,
)

VIEWERS = REVIEW_STAFF_ROLES | {Role.APPLICANT}
ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404, 409)}
TAGS = ["featured"]


class ListingListView(generics.ListAPIView):
    """名特优新 listings in the caller's scope."""

    serializer_class = FeaturedListingSerializer

    def get_queryset(self):
        params = self.request.query_params
        within = params.get("due_within", "")
        if within.isdigit():
            rows = selectors.due_listings(self.request.user, clock.today(), int(within))
        else:
            rows = selectors.listings(self.request.user).order_by("valid_until", "number")
        q = params.get("q", "").strip()
        if q:
            rows = rows.filter(Q(number__icontains=q) | Q(product_name__icontains=q) | Q(holder__name__icontains=q))
        return rows

    @extend_schema(tags=TAGS, summary="全国名特优新农产品名录（按管辖范围）",
                   parameters=[
                       OpenApiParameter("q", OpenApiTypes.STR, description="证书编号、产品或主体名称"),
                       OpenApiParameter("due_within", OpenApiTypes.INT,
                                        description="只列出年度确认截止日在该天数以内（含已逾期）的名录"),
                   ],
                   responses={200: FeaturedListingSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        require_role(request.user, VIEWERS)
        return super().get(request, *args, **kwargs)


def _detail(certificate) -> dict:
    certificate.last_quality_test_on = selectors.last_quality_test_on(certificate)
    certificate.confirmations = list(certificate.featured_confirmations.select_related("submitted_by",
                                                                                         "decided_by"))
    certificate.quality_tests = list(selectors.quality_tests(certificate))
    certificate.nutrition_evaluations = list(selectors.nutrition_evaluations(certificate))
    return FeaturedListingDetailSerializer(certificate).data


class ListingDetailView(APIView):
    @extend_schema(tags=TAGS, summary="名录产品详情：年度确认、品质检测、营养品质评价",
                   responses={200: FeaturedListingDetailSerializer, **ERRORS})
    def get(self, request, number):
        require_role(request.user, VIEWERS)
        return Response(_detail(selectors.listing(request.user, number)))


class ConfirmationSubmitView(APIView):
    @extend_schema(tags=TAGS, summary="提交年度确认（获证主体）", request=FeaturedConfirmationInSerializer,
                   description="自截止日前 90 天起至截止日（证书有效期至）止可提交。最近一次合格的品质检测已超过"
                   "三年时 400（fields.quality_test）；截止日已过或已退出名录 409；已有待确认的年度确认 409。",
                   responses={201: FeaturedConfirmationSerializer, **ERRORS})
    def post(self, request, number):
        require_role(request.user, {Role.APPLICANT})
        certificate = selectors.listing(request.user, number)
        data = FeaturedConfirmationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        confirmation = services.confirmation_submit(actor=request.user, certificate=certificate,
                                                    **data.validated_data)
        return Response(FeaturedConfirmationSerializer(confirmation).data, status=status.HTTP_201_CREATED)


class ConfirmationListView(generics.ListAPIView):
    """Annual confirmations in the caller's scope (holders see their own)."""

    serializer_class = FeaturedConfirmationSerializer

    def get_queryset(self):
        rows = selectors.confirmations(self.request.user).order_by("due_on", "pk")
        wanted = self.request.query_params.get("status", "")
        return rows.filter(status=wanted) if wanted in ConfirmationStatus.values else rows

    @extend_schema(tags=TAGS, summary="年度确认列表",
                   parameters=[OpenApiParameter("status", OpenApiTypes.STR,
                                                description="submitted（待确认）/ confirmed / refused")],
                   responses={200: FeaturedConfirmationSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        require_role(request.user, VIEWERS)
        return super().get(request, *args, **kwargs)


class ConfirmationDecisionView(APIView):
    @extend_schema(tags=TAGS, summary="办理年度确认（省级工作机构）", request=FeaturedDecisionInSerializer,
                   description="confirm：证书有效期至（下次确认截止日）顺延一年；refuse：须填写理由，主体可在截止日前"
                   "重新提交。已办理的 409。",
                   responses={200: FeaturedConfirmationSerializer, **ERRORS})
    def post(self, request, pk):
        require_role(request.user, {Role.PROVINCIAL_REVIEWER})
        confirmation = selectors.confirmation(request.user, pk, "decide")
        data = FeaturedDecisionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        confirmation = services.confirmation_decide(actor=request.user, confirmation=confirmation,
                                                    confirm=data.validated_data["decision"] == "confirm",
                                                    opinion=data.validated_data["opinion"])
        return Response(FeaturedConfirmationSerializer(confirmation).data)


class QualityTestListView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(tags=TAGS, summary="名录产品的品质检测记录",
                   responses={200: FeaturedQualityTestSerializer(many=True), **ERRORS})
    def get(self, request, number):
        require_role(request.user, VIEWERS)
        certificate = selectors.listing(request.user, number)
        return Response(FeaturedQualityTestSerializer(selectors.quality_tests(certificate), many=True).data)

    @extend_schema(tags=TAGS, summary="录入品质检测（工作机构，每三年一次）", request=FeaturedQualityTestInSerializer,
                   description="须有报告编号或报告文件（PDF/JPG/PNG，multipart）。",
                   responses={201: FeaturedQualityTestSerializer, **ERRORS})
    def post(self, request, number):
        require_role(request.user, REVIEW_STAFF_ROLES)
        certificate = selectors.listing(request.user, number)
        data = FeaturedQualityTestInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        test = services.quality_test_record(actor=request.user, certificate=certificate, **data.validated_data)
        return Response(FeaturedQualityTestSerializer(test).data, status=status.HTTP_201_CREATED)


class NutritionEvaluationListView(APIView):
    @extend_schema(tags=TAGS, summary="名录产品的营养品质评价",
                   responses={200: FeaturedNutritionEvaluationSerializer(many=True), **ERRORS})
    def get(self, request, number):
        require_role(request.user, VIEWERS)
        certificate = selectors.listing(request.user, number)
        rows = selectors.nutrition_evaluations(certificate)
        return Response(FeaturedNutritionEvaluationSerializer(rows, many=True).data)

    @extend_schema(tags=TAGS, summary="录入营养品质评价（工作机构）", request=FeaturedNutritionEvaluationInSerializer,
                   description="主体所在县为国家乡村振兴重点帮扶县或脱贫县的，记录为免费"
                   "（free=true，free_basis 说明依据）。",
                   responses={201: FeaturedNutritionEvaluationSerializer, **ERRORS})
    def post(self, request, number):
        require_role(request.user, REVIEW_STAFF_ROLES)
        certificate = selectors.listing(request.user, number)
        data = FeaturedNutritionEvaluationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evaluation = services.nutrition_evaluation_record(actor=request.user, certificate=certificate,
                                                          **data.validated_data)
        return Response(FeaturedNutritionEvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)
