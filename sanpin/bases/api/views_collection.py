"""The yearly base information collection and the production share under /api/v1/bases/. Thin:
parse → access → service/selector → serialize. A submission outside the caller's region is 404,
a step the caller is not the party for 403, a step the status does not allow 409."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.core.access import require_role
from sanpin.core.errors import NotFound

from .. import collection
from ..models import COLLECTION_ACTIONS, CollectionCycle
from ..share import choose, share_table
from .serializers_collection import (
    CycleDetailSerializer,
    CycleInSerializer,
    CycleSerializer,
    RegionProductionInSerializer,
    RegionProductionSerializer,
    ShareQuerySerializer,
    ShareTableSerializer,
    ShareTargetInSerializer,
    ShareTargetSerializer,
    SubmissionActionInSerializer,
    SubmissionSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404, 409)}
TAGS = ["bases"]
VIEWERS = COLLECTION_ACTIONS["view"]
STEPS = {
    "submit": lambda user, s, data: collection.submission_submit(actor=user, submission=s),
    "return": lambda user, s, data: collection.submission_return(actor=user, submission=s, comment=data["comment"]),
    "review": lambda user, s, data: collection.submission_review(actor=user, submission=s, comment=data["comment"]),
}


class CycleListView(generics.ListAPIView):
    """Collection cycles of the caller's province (all for national staff); POST opens one."""

    serializer_class = CycleSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CollectionCycle.objects.none()
        return collection.visible_cycles(self.request.user)

    @extend_schema(tags=TAGS, summary="基地信息采集年度列表", responses={200: CycleSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        require_role(request.user, VIEWERS)
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="开启年度基地信息采集（省级或国家级工作机构）", request=CycleInSerializer,
                   description="为该省每个县级区划（含不设区的地级市）建立一条“未填报”的报送。"
                   "同一省份同一年度再次开启 409。",
                   responses={201: CycleDetailSerializer, **ERRORS})
    def post(self, request):
        require_role(request.user, COLLECTION_ACTIONS["change"])
        data = CycleInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cycle = collection.cycle_open(actor=request.user, **data.validated_data)
        return Response(_cycle_body(request.user, cycle), status=status.HTTP_201_CREATED)


def _cycle_body(user, cycle) -> dict:
    cycle.submissions_in_scope = list(collection.cycle_submissions(user, cycle))
    return CycleDetailSerializer(cycle).data


class CycleDetailView(APIView):
    @extend_schema(tags=TAGS, summary="采集年度详情：管辖范围内各县（市、区）的报送及处理记录",
                   responses={200: CycleDetailSerializer, **ERRORS})
    def get(self, request, pk):
        return Response(_cycle_body(request.user, collection.visible_cycle(request.user, pk)))


class SubmissionStepView(APIView):
    @extend_schema(tags=TAGS, summary="县级报送：提交 / 退回 / 复核",
                   parameters=[OpenApiParameter("step", OpenApiTypes.STR, OpenApiParameter.PATH,
                                                enum=list(STEPS), description="submit | return | review")],
                   request=SubmissionActionInSerializer,
                   description="submit：县级工作机构提交（未填报或已退回时），记录其未移出目录的基地数、面积、年产量；"
                   "return：设区市（无市级工作机构时为省级）退回，须填写 comment；review：复核通过。"
                   "管辖范围外 404，非该环节的办理机构 403，状态不允许 409。",
                   responses={200: SubmissionSerializer, **ERRORS})
    def post(self, request, pk, step):
        if step not in STEPS:
            raise NotFound(_("没有该操作"))
        submission = collection.visible_submission(request.user, pk)
        data = SubmissionActionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = STEPS[step](request.user, submission, data.validated_data)
        return Response(SubmissionSerializer(collection.visible_submission(request.user, submission.pk)).data)


class ShareView(APIView):
    @extend_schema(tags=TAGS, summary="各设区市基地生产规模占比",
                   description="基地年产量为该年度已复核县级报送的年产量之和；"
                   "占比 = 基地年产量 ÷ 食用农产品生产总量 × 100，保留两位小数，未录入生产总量或未开启采集时为 null。"
                   "国家级可查询任一省份，其他人员只能查询本省（否则 404）。",
                   parameters=[ShareQuerySerializer], responses={200: ShareTableSerializer, **ERRORS})
    def get(self, request):
        require_role(request.user, VIEWERS)
        province, year = choose(request.user, request.query_params)
        return Response(ShareTableSerializer(share_table(province=province, year=year)).data)


class RegionProductionView(APIView):
    @extend_schema(tags=TAGS, summary="录入设区市年度食用农产品生产总量（省级或本市工作机构）",
                   request=RegionProductionInSerializer, description="同一区划同一年度再次录入即更正（留痕）。",
                   responses={200: RegionProductionSerializer, **ERRORS})
    def put(self, request):
        require_role(request.user, COLLECTION_ACTIONS["change"])
        data = RegionProductionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = collection.region_production_set(actor=request.user, **data.validated_data)
        return Response(RegionProductionSerializer(row).data)


class ShareTargetView(APIView):
    @extend_schema(tags=TAGS, summary="设定省份年度基地生产规模占比目标（省级或国家级工作机构）",
                   request=ShareTargetInSerializer, responses={200: ShareTargetSerializer, **ERRORS})
    def put(self, request):
        require_role(request.user, COLLECTION_ACTIONS["change"])
        data = ShareTargetInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = collection.share_target_set(actor=request.user, **data.validated_data)
        return Response(ShareTargetSerializer(row).data)
