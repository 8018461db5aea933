"""API of 收证, re-issue, violations and the issuing rate (decision 0028).

- `POST /api/v1/compliance-certificates/{code}/receive/` — a purchaser records receipt (JSON, or
  multipart with `photo`); `{code}` may be the code or, URL-encoded, the scanned QR text.
- `GET /api/v1/compliance-receipts/` — receipts in scope, keyset (cursor) paginated.
- `GET/POST /api/v1/compliance-violations/` — violations in scope; staff record one.
- `GET /api/v1/stats/compliance-issuing-rates/?year=&month=&region=` — 应开尽开 per child region.
- `reissue_create(request)` — the branch of `POST /api/v1/compliance-certificates/` taken when the
  body carries `sources` (called from the issue view of api/views.py).

Thin: parse → access → service → serialize; errors leave as {"code", "message", "fields"}."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.core.access import can, require_role
from sanpin.core.errors import PermissionDenied, ValidationFailed

from .. import rates, receiving, reissue
from ..choices import CheckResult, ViolationKind
from ..models import Receipt, Violation

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404)}
TAGS = ["compliance"]


def _invalid(serializer) -> ValidationFailed:
    return ValidationFailed(fields={k: [str(m) for m in v] if isinstance(v, list) else [str(v)]
                                    for k, v in serializer.errors.items()})


class KeysetPagination(CursorPagination):
    """Keyset pages over (received_at, id), newest first: no OFFSET and no COUNT over a hot table.
    `count` is always null; follow `next`."""

    ordering = ("-received_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response(self, data):
        return Response({"count": None, "next": self.get_next_link(), "previous": self.get_previous_link(),
                         "results": data})

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["properties"] = {"count": {"type": "integer", "nullable": True, "example": None}, **body["properties"]}
        return body


# --- receive ----------------------------------------------------------------------------------------


class ReceiveInSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, required=False, allow_null=True,
                                        help_text="收货数量；省略则按合格证数量")
    place = serializers.CharField(max_length=120, help_text="收货地点")
    check_result = serializers.ChoiceField(choices=CheckResult.choices, default=CheckResult.CONFORMING)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    received_at = serializers.DateTimeField(required=False, allow_null=True, help_text="收货时间；省略为现在")
    photo = serializers.FileField(required=False, allow_null=True, help_text="纸质合格证照片（JPG/PNG/PDF）")


class ReceiptSerializer(serializers.ModelSerializer):
    receiver = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = ("id", "code", "receiver", "received_at", "place", "quantity", "check_result", "note", "has_photo",
                  "keep_until")

    def get_receiver(self, obj) -> dict:
        return {"id": obj.receiver_id, "name": obj.receiver.name}

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class ReceiveOutSerializer(serializers.Serializer):
    receipt = ReceiptSerializer()
    violation = serializers.IntegerField(allow_null=True, help_text="查验不合格时记录的违规 id")
    reported = serializers.BooleanField(help_text="查验不合格已报告产地农业农村部门")


class ReceiveView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(tags=TAGS, summary="收证：收购者/市场登记收到的合格证及查验结果",
                   request={"application/json": ReceiveInSerializer, "multipart/form-data": ReceiveInSerializer},
                   responses={201: ReceiveOutSerializer, **ERRORS})
    def post(self, request, code):
        require_role(request.user, {*Receipt.scope.actions["receive"]})
        serializer = ReceiveInSerializer(data=request.data)
        if not serializer.is_valid():
            raise _invalid(serializer)
        data = serializer.validated_data
        outcome = receiving.receipt_record(
            actor=request.user, code=code, quantity=data.get("quantity"), place=data["place"],
            check_result=data["check_result"], note=data.get("note", ""), photo=data.get("photo"),
            received_at=data.get("received_at"))
        return Response(ReceiveOutSerializer({
            "receipt": outcome.receipt, "violation": outcome.violation.pk if outcome.violation else None,
            "reported": bool(outcome.reported_to)}).data, status=status.HTTP_201_CREATED)


class ReceiptListView(generics.ListAPIView):
    serializer_class = ReceiptSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        rows = receiving.receipts(self.request.user).order_by()
        code = self.request.query_params.get("code", "").strip()
        return rows.filter(code=code) if code else rows

    @extend_schema(tags=TAGS, summary="收证记录（收购者本单位的；工作人员本辖区的），按时间倒序键集分页",
                   parameters=[OpenApiParameter("code", OpenApiTypes.STR, description="合格证编码")],
                   responses={200: ReceiptSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        if not can(request.user, "view", Receipt):
            raise PermissionDenied()
        return super().get(request, *args, **kwargs)


# --- re-issue ---------------------------------------------------------------------------------------


class SourceInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=500, help_text="来源合格证编码")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, help_text="从该来源取用的数量（按来源的单位）")


class ReissueInSerializer(serializers.Serializer):
    """The new certificate's fields as for an ordinary issue, plus `sources`."""

    sources = SourceInSerializer(many=True)
    product_name = serializers.CharField(max_length=60)
    category = serializers.CharField(max_length=20)
    quantity = serializers.CharField(max_length=30)
    unit = serializers.CharField(max_length=10)
    origin = serializers.CharField(max_length=120, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    basis = serializers.CharField(max_length=20, required=False, allow_blank=True)
    test_report_no = serializers.CharField(max_length=60, required=False, allow_blank=True)
    trace_code = serializers.CharField(max_length=60, required=False, allow_blank=True)
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=True)


def reissue_create(request, *, serialize):
    """Re-issue from an API request whose body has `sources`; `serialize(certificate)` is the issue
    view's own output for one certificate. 201 with it (200 for a retry with the same key), or the
    service's error."""
    body = request.data
    if not isinstance(body, dict):
        raise ValidationFailed(fields={"sources": [_("重新开具一次只能开具一张合格证")]})
    sources = body.get("sources")
    if not isinstance(sources, list) or not sources:
        raise ValidationFailed(fields={"sources": [_("请至少列出一个来源合格证及其数量")]})
    fields = {k: v for k, v in body.items() if k not in ("sources", "idempotency_key")}
    certificate = reissue.reissue(actor=request.user, sources=sources, key=str(body.get("idempotency_key") or ""),
                                  **fields)
    replayed = getattr(certificate, "replayed", False)
    return Response(serialize(certificate), status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)


# --- violations -------------------------------------------------------------------------------------


KIND_HELP = "违规类型：" + "、".join(f"{k.value} {k.label}" for k in ViolationKind)


class ViolationSerializer(serializers.ModelSerializer):
    entity = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Violation
        fields = ("id", "entity", "kind", "kind_label", "occurred_on", "detail", "code", "reported_at")

    def get_entity(self, obj) -> dict:
        return {"id": obj.entity_id, "name": obj.entity.name, "uscc": obj.entity.uscc}


class ViolationInSerializer(serializers.Serializer):
    entity = serializers.IntegerField(help_text="主体 id")
    kind = serializers.CharField(max_length=20, help_text=KIND_HELP)
    occurred_on = serializers.DateField()
    detail = serializers.CharField(max_length=2000)
    code = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ViolationListView(generics.ListAPIView):
    serializer_class = ViolationSerializer

    def get_queryset(self):
        rows = receiving.violations(self.request.user)
        params = self.request.query_params
        if params.get("kind", "") in ViolationKind.values:
            rows = rows.filter(kind=params["kind"])
        if params.get("entity", "").isdigit():
            rows = rows.filter(entity_id=int(params["entity"]))
        return rows

    @extend_schema(tags=TAGS, summary="合格证违规记录（按管辖范围；主体只见本单位的）",
                   parameters=[OpenApiParameter("kind", OpenApiTypes.STR, description="违规类型"),
                               OpenApiParameter("entity", OpenApiTypes.INT, description="主体 id")],
                   responses={200: ViolationSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        if not can(request.user, "view", Violation):
            raise PermissionDenied()
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="登记合格证违规（工作人员，本辖区主体）", request=ViolationInSerializer,
                   responses={201: ViolationSerializer, **ERRORS})
    def post(self, request, *args, **kwargs):
        serializer = ViolationInSerializer(data=request.data)
        if not serializer.is_valid():
            raise _invalid(serializer)
        d = serializer.validated_data
        violation = receiving.violation_record(actor=request.user, entity_id=d["entity"], kind=d["kind"],
                                               occurred_on=d["occurred_on"], detail=d["detail"], code=d["code"])
        return Response(ViolationSerializer(violation).data, status=status.HTTP_201_CREATED)


# --- issuing rate -----------------------------------------------------------------------------------


class IssuingRateSerializer(serializers.Serializer):
    region = serializers.DictField()
    covered = serializers.IntegerField(help_text="应开主体数（有效的企业、合作社、家庭农场）")
    issuing = serializers.IntegerField(help_text="期内至少开具一张合格证的主体数（不含重新开具）")
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class IssuingRatesView(APIView):
    @extend_schema(
        tags=TAGS, summary="合格证开具率（应开尽开，按下级区划）",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="年份；默认今年"),
                    OpenApiParameter("month", OpenApiTypes.INT, description="月份；省略为全年"),
                    OpenApiParameter("region", OpenApiTypes.STR, description="区划代码；默认本机构区划")],
        responses={200: IssuingRateSerializer(many=True), **{c: OpenApiResponse(ErrorBodySerializer)
                                                             for c in (400, 401, 403, 404)}},
    )
    def get(self, request):
        from sanpin.core import clock

        require_role(request.user, rates.RATE_ROLES)
        params = request.query_params
        region = rates.region_in_scope(request.user, params.get("region", ""))
        rows = rates.issuing_rates(year=params.get("year") or clock.today().year, month=params.get("month") or None,
                                   region=region)
        return Response(IssuingRateSerializer([
            {"region": {"code": r.region.code, "name": r.region.name}, "covered": r.covered, "issuing": r.issuing,
             "percent": r.percent} for r in rows], many=True).data)
