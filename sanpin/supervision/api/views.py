"""Rectifications and revocation requests under /api/v1/. Thin: parse → access (selectors: 403
wrong role, 404 out of scope) → service → serialize. Errors leave as {"code", "message", "fields"}."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.core.access import can
from sanpin.core.api.lists import ScopedListView
from sanpin.core.errors import NotFound, PermissionDenied, ValidationFailed

from .. import selectors, services
from ..models import Rectification, RevocationRequest
from .serializers import (
    AnswerInSerializer,
    RectificationDecideInSerializer,
    RectificationInSerializer,
    RectificationSerializer,
    RevocationDecideInSerializer,
    RevocationInSerializer,
    RevocationSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404, 409)}
TAGS = ["supervision"]


def _certificate(user, number):
    """The certificate named in a body: a wrong role is 403, an unknown or out-of-scope number a
    400 on the field (its existence is not revealed)."""
    try:
        return selectors.certificate_term(user, (number or "").strip())
    except NotFound:
        raise ValidationFailed(fields={"certificate": _("未找到该证书，或不在您的管辖范围内")}) from None


def _rectification_out(user, pk):
    return RectificationSerializer(selectors.rectification(user, pk)).data


def _revocation_out(user, pk):
    return RevocationSerializer(selectors.revocation(user, pk)).data


@extend_schema_view(get=extend_schema(

tags=TAGS, summary="整改列表（按管辖范围）",
parameters=[
OpenApiParameter("status", OpenApiTypes.STR,
              description="open / answered / accepted / failed / overdue；"
                          "overdue_open 为已过期限未提交"),
OpenApiParameter("scheme", OpenApiTypes.STR, description="认证类型，如 green_inputs"),
OpenApiParameter("source", OpenApiTypes.STR, description="来源，如 sampling"),
OpenApiParameter("q", OpenApiTypes.STR, description="整改编号、证书编号、单位或产品名称"),
],
responses={200: RectificationSerializer(many=True), **ERRORS},
))
class RectificationListView(ScopedListView):
    """Rectifications in the caller's scope; POST opens one (provincial or national staff)."""

    serializer_class = RectificationSerializer
    model = Rectification

    def rows(self):
        params = self.request.query_params
        rows = selectors.rectifications(self.request.user).prefetch_related("evidence", "revocation_requests")
        return selectors.filter_rectifications(rows, status=params.get("status", ""), scheme=params.get("scheme", ""),
                                               source=params.get("source", ""), q=params.get("q", ""))

    @extend_schema(tags=TAGS, summary="作出整改决定", request=RectificationInSerializer,
                   description="整改期限为一个月，证书状态变为 in_rectification。"
                               "400：原因不属于该认证类型、缺少问题描述、证书不在管辖范围；"
                               "409：证书不是有效状态或已有未办结的整改。",
                   responses={201: RectificationSerializer, **ERRORS})
    def post(self, request):
        if not can(request.user, "open", Rectification):
            raise PermissionDenied()
        body = RectificationInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        certificate = _certificate(request.user, values.pop("certificate"))
        item = services.rectification_open(actor=request.user, certificate=certificate, **values)
        return Response(_rectification_out(request.user, item.pk), status=status.HTTP_201_CREATED)


class RectificationDetailView(APIView):
    @extend_schema(tags=TAGS, summary="整改详情", responses={200: RectificationSerializer, **ERRORS})
    def get(self, request, id):
        return Response(_rectification_out(request.user, id))


class RectificationAnswerView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(tags=TAGS, summary="获证单位提交整改报告", request={"multipart/form-data": AnswerInSerializer},
                   description="整改中且未过期限时可提交；files 可多个。400：未填写整改情况或文件类型不符，"
                               "此时不写入任何内容；409：不在可提交状态或已过期限。",
                   responses={200: RectificationSerializer, **ERRORS})
    def post(self, request, id):
        item = selectors.rectification(request.user, id, "answer")
        body = AnswerInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.rectification_answer(actor=request.user, rectification=item,
                                          answer=body.validated_data["answer"], files=body.validated_data["files"])
        except ValidationFailed as exc:  # the service names one file "file"; the input is "files"
            fields = {("files" if k == "file" else k): v for k, v in exc.fields.items()}
            raise ValidationFailed(exc.message, fields=fields) from None
        return Response(_rectification_out(request.user, id))


class RectificationDecideView(APIView):
    @extend_schema(tags=TAGS, summary="省级工作机构审核整改报告", request=RectificationDecideInSerializer,
                   description="accepted=true：证书恢复有效；false：整改不合格，自动报请取消标志使用权。",
                   responses={200: RectificationSerializer, **ERRORS})
    def post(self, request, id):
        item = selectors.rectification(request.user, id, "decide")
        body = RectificationDecideInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.rectification_decide(actor=request.user, rectification=item, **body.validated_data)
        return Response(_rectification_out(request.user, id))


class RectificationEvidenceView(APIView):
    @extend_schema(tags=TAGS, summary="下载整改证明材料",
                   responses={(200, "application/octet-stream"): bytes, **ERRORS})
    def get(self, request, id, evidence_id):
        item = selectors.evidence(request.user, id, evidence_id)
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename,
                            content_type=item.content_type)


@extend_schema_view(get=extend_schema(

tags=TAGS, summary="取消标志使用权申请列表（按管辖范围）",
parameters=[
OpenApiParameter("status", OpenApiTypes.STR, description="pending / revoked / declined"),
OpenApiParameter("scheme", OpenApiTypes.STR, description="认证类型"),
OpenApiParameter("q", OpenApiTypes.STR, description="编号、证书编号、单位或产品名称"),
],
responses={200: RevocationSerializer(many=True), **ERRORS},
))
class RevocationListView(ScopedListView):
    """Revocation requests in the caller's scope; POST asks the national level to revoke."""

    serializer_class = RevocationSerializer
    model = RevocationRequest

    def rows(self):
        params = self.request.query_params
        rows = selectors.revocations(self.request.user).prefetch_related("bans")
        return selectors.filter_revocations(rows, status=params.get("status", ""), scheme=params.get("scheme", ""),
                                            q=params.get("q", ""))

    @extend_schema(tags=TAGS, summary="报请取消标志使用权", request=RevocationInSerializer,
                   description="400：未选择原因、原因不属于该认证类型、缺少事实与依据；409：已有待决定的申请。",
                   responses={201: RevocationSerializer, **ERRORS})
    def post(self, request):
        if not can(request.user, "open", RevocationRequest):
            raise PermissionDenied()
        body = RevocationInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        certificate = _certificate(request.user, values.pop("certificate"))
        item = services.revocation_request_open(actor=request.user, certificate=certificate, **values)
        return Response(_revocation_out(request.user, item.pk), status=status.HTTP_201_CREATED)


class RevocationDetailView(APIView):
    @extend_schema(tags=TAGS, summary="取消标志使用权申请详情", responses={200: RevocationSerializer, **ERRORS})
    def get(self, request, id):
        return Response(_revocation_out(request.user, id))


class RevocationDecideView(APIView):
    @extend_schema(tags=TAGS, summary="国家级机构决定是否取消标志使用权", request=RevocationDecideInSerializer,
                   description="revoke=true：证书即时为已取消，《使用证》登记收回，发布取消公告；绿色食品三年内"
                               "（情节严重永久）不得再次申请。",
                   responses={200: RevocationSerializer, **ERRORS})
    def post(self, request, id):
        item = selectors.revocation(request.user, id, "revoke")
        body = RevocationDecideInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.revocation_decide(actor=request.user, request=item, **body.validated_data)
        return Response(_revocation_out(request.user, id))
