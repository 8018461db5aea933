"""GAP certificates under /api/v1/: the scoped list and recording one. Thin: parse → access →
service/selector → serialize."""

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from sanpin.api.schema import ErrorBodySerializer
from sanpin.catalog.models import Entity
from sanpin.core import clock
from sanpin.core.access import can
from sanpin.core.errors import PermissionDenied, ValidationFailed

from .. import selectors, services
from ..models import GAPCertificate
from .serializers import GAPCertificateInSerializer, GAPCertificateSerializer

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403)}


class GAPCertificateListView(generics.ListAPIView):
    """GAP certificates in the caller's scope; POST records one (staff of the holder's region)."""

    serializer_class = GAPCertificateSerializer

    def get_queryset(self):
        rows = selectors.scoped_certificates(self.request.user).order_by("-valid_from", "pk")
        q = self.request.query_params.get("q", "").strip()
        if q:
            rows = rows.filter(Q(number__icontains=q) | Q(holder__name__icontains=q) | Q(products__icontains=q))
        holder = self.request.query_params.get("holder", "")
        if holder.isdigit():
            rows = rows.filter(holder_id=int(holder))
        return selectors.with_effective_status(rows, self.request.query_params.get("status", ""), clock.today())

    @extend_schema(
        tags=["gap"], summary="良好农业规范认证证书列表（按管辖范围）",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="证书编号、主体名称或产品"),
            OpenApiParameter("status", OpenApiTypes.STR, description="valid / ended / expired（按今天计算）"),
            OpenApiParameter("holder", OpenApiTypes.INT, description="主体 id"),
        ],
        responses={200: GAPCertificateSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        if not can(request.user, "view", GAPCertificate):
            raise PermissionDenied()
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["gap"], summary="录入良好农业规范认证证书", request=GAPCertificateInSerializer,
                   description="400 naming the field for a missing value, a validity that ends before it starts, "
                   "a certifier's number already recorded, or a holder outside the caller's region.",
                   responses={201: GAPCertificateSerializer, **ERRORS})
    def post(self, request):
        if not can(request.user, "change", GAPCertificate):
            raise PermissionDenied()
        data = GAPCertificateInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        uscc = values.pop("holder_uscc").strip().upper()
        holder = Entity.objects.restrict(request.user, "view").filter(uscc=uscc, is_active=True).first()
        if holder is None:
            raise ValidationFailed(
                fields={"holder_uscc": _("未找到该统一社会信用代码的主体，或该主体不在您的管辖范围内")})
        try:
            certificate = services.gap_certificate_create(actor=request.user, holder=holder, **values)
        except PermissionDenied:
            raise ValidationFailed(fields={"holder_uscc": _("该主体不在您的管辖范围内")}) from None
        return Response(GAPCertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)
