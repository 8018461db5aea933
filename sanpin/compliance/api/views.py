"""合格证 under /api/v1/: the caller's list (keyset) and issuing one or a batch; the public scan
answer (no sign-in, throttled like the public verification). Thin: parse → access →
service/selector → serialize."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.api.throttling import ScopedWindowThrottle
from sanpin.core import clock
from sanpin.core.access import can
from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.core.middleware import client_ip_of

from .. import issuing, scans, selectors
from ..models import ComplianceCertificate
from . import public
from .receiving import reissue_create
from .serializers import (
    BatchResultSerializer,
    ComplianceCertificateSerializer,
    ComplianceInSerializer,
    KeysetPageSerializer,
    PublicAnswerSerializer,
    batch_body,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403)}


class ComplianceCertificateListView(APIView):
    """The caller's 合格证 (its organisation's; staff: their region's), newest first; POST issues."""

    parser_classes = [JSONParser]

    @extend_schema(
        tags=["compliance"], summary="承诺达标合格证列表（键集分页）",
        description="Newest first, 50 a page (`page_size` up to 500). `next` carries an opaque `after` "
        "cursor and `previous` a `before` cursor; `count` is null (not counted at this volume).",
        parameters=[OpenApiParameter("after", OpenApiTypes.STR, description="上一页返回的 next 游标"),
                    OpenApiParameter("before", OpenApiTypes.STR, description="previous 游标：读取其前一页"),
                    OpenApiParameter("page_size", OpenApiTypes.INT)],
        responses={200: KeysetPageSerializer, **ERRORS},
    )
    def get(self, request):
        if not can(request.user, "view", ComplianceCertificate):
            raise PermissionDenied()
        try:
            size = max(1, min(500, int(request.query_params.get("page_size", selectors.PAGE))))
        except ValueError:
            raise ValidationFailed(fields={"page_size": _("须为 1–500 的整数")}) from None
        page = selectors.keyset(selectors.issued_by_caller(request.user), request.query_params.get("after", ""),
                                size, before=request.query_params.get("before", ""))

        def link(name, cursor):
            if not cursor:
                return None
            query = request.query_params.copy()
            query.pop("after", None)
            query.pop("before", None)
            query[name] = cursor
            return request.build_absolute_uri(request.path + "?" + query.urlencode())

        return Response({"count": None, "next": link("after", page.next_cursor),
                         "previous": link("before", page.previous_cursor),
                         "results": ComplianceCertificateSerializer(page.rows, many=True).data})

    @extend_schema(
        tags=["compliance"], summary="开具承诺达标合格证（单张或批量）",
        description="One object, or a list of up to 10,000 (bulk issue, all or nothing). Each may carry an "
        "`idempotency_key`: the same key and body answer the certificate first made (nothing new); the same "
        "key with another body answers 409 `idempotency_key_reused` naming the key. A bad row answers 400 "
        "with `fields` keyed `<row>.<field>` (0-based row; plain field names for a single object) and "
        "writes nothing. One object answers the certificate (201 new, 200 replayed); a list answers "
        "`{count, created, results}` in the order sent.",
        request=PolymorphicProxySerializer(
            component_name="ComplianceIssue", resource_type_field_name=None, many=False,
            serializers=[ComplianceInSerializer, ComplianceInSerializer(many=True)]),
        responses={200: ComplianceCertificateSerializer, 201: PolymorphicProxySerializer(
            component_name="ComplianceIssueResult", resource_type_field_name=None, many=False,
            serializers=[ComplianceCertificateSerializer, BatchResultSerializer]),
            409: ErrorBodySerializer, **ERRORS},
    )
    def post(self, request):
        if not can(request.user, "issue", ComplianceCertificate):
            raise PermissionDenied()
        data = request.data
        items = data if isinstance(data, list) else [data]
        if isinstance(data, dict) and "sources" in data:  # re-issue after mixing/repacking (api/receiving.py)
            return reissue_create(request, serialize=lambda c: ComplianceCertificateSerializer(c).data)
        if any(isinstance(item, dict) and "sources" in item for item in items):
            raise ValidationFailed(_("混装/分装后重新开具请使用重新开具接口"),
                                   fields={"sources": _("此接口只开具生产者合格证")})
        if isinstance(data, dict):
            result = issuing.compliance_issue(actor=request.user, items=dict(data), via="api")
            body = ComplianceCertificateSerializer(result.certificates[0]).data
            return Response(body, status=status.HTTP_201_CREATED if result.created[0] else status.HTTP_200_OK)
        if not isinstance(data, list):
            raise ValidationFailed(_("请求体须为一个对象或对象列表"), fields={"items": _("格式无效")})
        result = issuing.compliance_issue(actor=request.user, items=list(data), via="api")
        return Response(batch_body(result), status=status.HTTP_201_CREATED)


class PublicComplianceView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"

    @extend_schema(
        tags=["public"], summary="承诺达标合格证扫码查询（公开）",
        description="The 合格证 with its producer, the status of each linked mark (三码合一; a warning when "
        "one is expired, suspended or revoked) and the chain back to every source. `s` is the signature "
        "from the QR code (optional): one that is not this code's, or an altered code, answers `forged`. "
        "A code never issued answers `not_found` (200, like the public verification). Counts the scan "
        "(`loc=lat,lng` optional, for the copy check).",
        parameters=[OpenApiParameter("s", OpenApiTypes.STR, description="二维码中的签名"),
                    OpenApiParameter("loc", OpenApiTypes.STR, description="扫码位置 lat,lng（可选）")],
        responses={200: PublicAnswerSerializer, 429: ErrorBodySerializer},
    )
    def get(self, request, code):
        return Response(public.scan_body(
            code[:40], request.query_params.get("s", "")[:200], clock.today(),
            location=scans.parse_location(request.query_params.get("loc", "")), ip=client_ip_of(request) or ""))
