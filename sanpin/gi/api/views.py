"""GI registrations and authorisations (scoped) and public verification (throttled) under
/api/v1/. Thin: parse → access → service/selector → serialize."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.api.throttling import ScopedWindowThrottle
from sanpin.catalog.models import Entity
from sanpin.core.access import can
from sanpin.core.errors import NotFound, PermissionDenied, ValidationFailed

from .. import selectors, services
from ..filtersets import GIAuthorizationFilterSet, GIRegistrationFilterSet
from ..models import GIAuthorization, GIRegistration
from .serializers import (
    AuthorizationInSerializer,
    AuthorizationSerializer,
    GIImportInSerializer,
    GIImportResultSerializer,
    PublicRegistrationSerializer,
    RegistrationDetailSerializer,
    RegistrationSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404)}
NUMBER = OpenApiParameter("gi_number", OpenApiTypes.STR, OpenApiParameter.PATH, description="登记证书编号，如 AGI01234")


class RegistrationListView(generics.ListAPIView):
    """GI registrations in the caller's scope."""

    filterset_class = GIRegistrationFilterSet
    serializer_class = RegistrationSerializer

    def get_queryset(self):
        return (GIRegistration.objects.restrict(self.request.user, "view").select_related("holder")
                .prefetch_related("counties").order_by("number"))

    @extend_schema(tags=["gi"], summary="农产品地理标志登记列表（按管辖范围）",
                   description="Filters: q, status, region (code prefix of the holder's region), county (a county "
                   "code inside the geographic scope), holder (entity id).",
                   responses={200: RegistrationSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        if not can(request.user, "view", GIRegistration):
            raise PermissionDenied()
        return super().get(request, *args, **kwargs)


class RegistrationDetailView(APIView):
    @extend_schema(tags=["gi"], summary="单个地理标志登记（含状态历史和品质数据）", parameters=[NUMBER],
                   responses={200: RegistrationDetailSerializer, **ERRORS})
    def get(self, request, gi_number):
        registration = selectors.scoped_registration(request.user, gi_number)
        return Response(RegistrationDetailSerializer(registration).data)


class RegistrationImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["gi"], summary="导入历史地理标志登记（全部或全不）",
        request={"multipart/form-data": GIImportInSerializer},
        parameters=[OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="1：仅校验，不写入")],
        description="Any bad row: 400 `import_rows_invalid`, nothing written, `fields.rows` lists every bad row as "
        "“第 N 行：原因”. A file that is not a readable workbook: 400 with `fields.file`.",
        responses={200: GIImportResultSerializer, **ERRORS},
    )
    def post(self, request):
        if not can(request.user, "change", GIRegistration):
            raise PermissionDenied()
        data = GIImportInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        dry_run = request.query_params.get("dry_run", "0").lower() in ("1", "true", "yes")
        result = services.gi_registration_import(actor=request.user, file=upload.read(), dry_run=dry_run,
                                                 file_name=upload.name)
        if not result.ok:
            raise ValidationFailed(
                _("有 %(n)d 行错误，未导入任何数据") % {"n": len(result.bad_rows)}, code="import_rows_invalid",
                fields={"rows": result.error_lines()},
            )
        return Response(GIImportResultSerializer(result).data)


class AuthorizationListView(generics.ListAPIView):
    """Mark-use authorisations in scope; POST authorises a producer (holder association or staff)."""

    filterset_class = GIAuthorizationFilterSet
    serializer_class = AuthorizationSerializer

    def get_queryset(self):
        return (GIAuthorization.objects.restrict(self.request.user, "view")
                .select_related("registration", "user_entity").order_by("-valid_from", "pk"))

    @extend_schema(tags=["gi"], summary="用标授权列表（按管辖范围）",
                   description="Filters: registration (number), user_entity (entity id), status (valid / ended / "
                   "expired, on today's date).",
                   responses={200: AuthorizationSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        if not can(request.user, "view", GIAuthorization):
            raise PermissionDenied()
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["gi"], summary="授权生产者使用地理标志", request=AuthorizationInSerializer,
                   description="Refused (400, naming the field) when the producer's county is outside the "
                   "geographic scope or it already holds an overlapping valid authorisation; 409 when the "
                   "registration is revoked.",
                   responses={201: AuthorizationSerializer, 409: ErrorBodySerializer, **ERRORS})
    def post(self, request):
        if not can(request.user, "authorize", GIRegistration):
            raise PermissionDenied()
        data = AuthorizationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        registration = selectors.scoped_registration(request.user, values.pop("registration"), "authorize")
        uscc = values.pop("user_entity_uscc").strip().upper()
        user_entity = Entity.objects.select_related("region").filter(uscc=uscc, is_active=True).first()
        if user_entity is None:
            raise ValidationFailed(fields={"user_entity_uscc": _("未找到该统一社会信用代码的主体")})
        try:
            authorization = services.gi_authorize(actor=request.user, registration=registration,
                                                  user_entity=user_entity, **values)
        except ValidationFailed as exc:
            if "user_entity" in exc.fields:
                exc.fields["user_entity_uscc"] = exc.fields.pop("user_entity")
            raise
        return Response(AuthorizationSerializer(authorization).data, status=status.HTTP_201_CREATED)


class PublicRegistrationView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"

    @extend_schema(tags=["public"], summary="农产品地理标志登记公开查询", parameters=[NUMBER],
                   responses={200: PublicRegistrationSerializer, 404: ErrorBodySerializer, 429: ErrorBodySerializer})
    def get(self, request, gi_number):
        registration = selectors.public_lookup(gi_number)
        if registration is None:
            raise NotFound(_("未查到该登记证书编号"))
        return Response(PublicRegistrationSerializer(registration).data)
