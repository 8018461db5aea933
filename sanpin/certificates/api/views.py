"""Certificates (scoped), their PDF, announcements and verification (public, throttled) under
/api/v1/. Thin: parse → access → selector → serialize."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.pagination import KeysetOrPagePagination
from sanpin.api.schema import ErrorBodySerializer
from sanpin.api.throttling import ScopedWindowThrottle
from sanpin.core import clock, public_cache
from sanpin.core.access import can
from sanpin.core.errors import NotFound, PermissionDenied, ValidationFailed

from .. import organic_codes, pdf, public_read, selectors, services, signing
from ..filtersets import CertificateFilterSet
from ..models import Announcement, Certificate, Certifier
from .serializers import (
    AnnouncementInSerializer,
    AnnouncementSerializer,
    CertificateDetailSerializer,
    CertificateSerializer,
    OrganicCodeBatchSerializer,
    OrganicCodesInSerializer,
    StatusInSerializer,
    VerifyQuerySerializer,
    VerifyResultSerializer,
    verification_body,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404)}
NUMBER = OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH, description="产品编号")


class PublicMixin:
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"


def scoped_term(user, number):
    """The term of `number` in force today, within the user's scope (403 for a wrong role, 404
    out of scope)."""
    if not can(user, "view", Certificate):
        raise PermissionDenied()
    queryset = Certificate.objects.restrict(user, "view").select_related("holder", "country")
    certificate = selectors.term_on(queryset, number, clock.today())
    if certificate is None:
        raise NotFound()
    return certificate


class CertificatePagination(KeysetOrPagePagination):
    key = selectors.LIST_ORDER


class CertificateListView(generics.ListAPIView):
    """Certificates in the caller's scope, one row per number (its latest term)."""

    filterset_class = CertificateFilterSet
    serializer_class = CertificateSerializer
    pagination_class = CertificatePagination

    def get_queryset(self):
        queryset = Certificate.objects.restrict(self.request.user, "view").select_related("holder", "country")
        return selectors.heads(queryset).order_by(*selectors.LIST_ORDER.order())

    @extend_schema(tags=["certificates"], summary="证书列表（按管辖范围）",
                   description="Filters: scheme, status (on today's date, so `expired` works), region (code prefix "
                   "of the holder's region, subordinate regions included), holder (entity id), q. Newest approval "
                   "first. `?page=` pages count the total; `?after=` (empty for the first page) and `?before=` "
                   "read keyset pages by cursor, as fast deep as at the top, with `count` null.",
                   responses={200: CertificateSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        if not can(request.user, "view", Certificate):
            raise PermissionDenied()
        return super().get(request, *args, **kwargs)


def detail_body(certificate) -> dict:
    terms = Certificate.objects.filter(number=certificate.number).order_by("valid_from")
    context = {"history": selectors.history(certificate.number), "terms": terms}
    return CertificateDetailSerializer(certificate, context=context).data


class CertificateDetailView(APIView):
    @extend_schema(tags=["certificates"], summary="单个证书及状态历史", parameters=[NUMBER],
                   responses={200: CertificateDetailSerializer, **ERRORS})
    def get(self, request, number):
        return Response(detail_body(scoped_term(request.user, number)))


class CertificateStatusView(APIView):
    @extend_schema(
        tags=["certificates"], summary="变更证书状态（国家级）", parameters=[NUMBER], request=StatusInSerializer,
        description="Transitions: valid ↔ in_rectification, valid ↔ suspended, any current → stopped or revoked; "
        "stopped and revoked are final. Anything else answers 409 `transition_not_allowed`.",
        responses={200: CertificateDetailSerializer, 409: ErrorBodySerializer, **ERRORS},
    )
    def post(self, request, number):
        certificate = scoped_term(request.user, number)
        if not can(request.user, "change", Certificate):
            raise PermissionDenied()
        data = StatusInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = services.certificate_set_status(actor=request.user, certificate=certificate,
                                                      **data.validated_data)
        return Response(detail_body(certificate))


class CertificatePdfView(APIView):
    @extend_schema(tags=["certificates"], summary="证书 PDF（含签名二维码）", parameters=[NUMBER],
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY, **ERRORS})
    def get(self, request, number):
        certificate = scoped_term(request.user, number)
        response = HttpResponse(pdf.licence_pdf(certificate, clock.today()), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
        return response


class AnnouncementListView(generics.ListAPIView):
    """GET is public (no sign-in, throttled); POST publishes and needs national staff."""

    serializer_class = AnnouncementSerializer
    filterset_fields = ["kind"]
    queryset = Announcement.objects.prefetch_related("items").order_by("-published_on", "-pk")
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"

    def _public(self) -> bool:
        request = getattr(self, "request", None)  # None while the schema is generated
        return request is not None and request.method in ("GET", "HEAD", "OPTIONS")

    def get_authenticators(self):
        return [] if self._public() else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self._public() else super().get_permissions()

    @extend_schema(tags=["public"], summary="公告（公开）",
                   responses={200: AnnouncementSerializer(many=True), 429: ErrorBodySerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["certificates"], summary="发布公告（国家级）", request=AnnouncementInSerializer,
                   description="`numbers` lists product numbers; each must be a licence in the caller's scope "
                   "(unknown numbers answer 400 naming them in `fields.numbers`).",
                   responses={201: AnnouncementSerializer, **ERRORS})
    def post(self, request):
        if not can(request.user, "change", Certificate):
            raise PermissionDenied()
        data = AnnouncementInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        numbers = list(dict.fromkeys(n.strip().upper() for n in data.validated_data["numbers"]))
        found = {c.number: c for c in selectors.heads(
            Certificate.objects.restrict(request.user, "change").filter(number__in=numbers)).select_related("holder")}
        missing = [n for n in numbers if n not in found]
        if missing:
            message = _("未找到这些编号：%(numbers)s") % {"numbers": "、".join(missing)}
            raise ValidationFailed(fields={"numbers": message})
        try:
            announcement = services.announcement_publish(
                actor=request.user, title=data.validated_data["title"], kind=data.validated_data["kind"],
                certificates=[found[n] for n in numbers])
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, fields={
                ("numbers" if k == "certificates" else k): v for k, v in exc.fields.items()}) from exc
        return Response(AnnouncementSerializer(announcement).data, status=status.HTTP_201_CREATED)


def public_verify_body(code: str, today) -> dict:
    """The verification answer. Signed or not, the body for a number is cached whole
    (sanpin.core.public_cache: a change of the certificate shows at once); only the signature
    verdict is per request. A 有机码 is looked up each time."""
    if selectors.ORGANIC_CODE.match(code):
        return verification_body(selectors.verify(code, today))
    number, signature = signing.verify_scan(code)
    if signature == signing.BAD:
        return verification_body(selectors.Verification(selectors.FORGED, number, signature=signature))
    body = public_cache.cached(public_cache.VERIFY, number, today, lambda: public_read.verification_body(
        number, today, signing.MISSING))
    body["signature"] = signature
    return body


class VerifyView(PublicMixin, APIView):
    @extend_schema(
        tags=["public"], summary="证书核验（公开）",
        description="`code` is a number as typed or the text of a scanned QR code. A bad signature or an "
        "altered number answers `forged`; an unsigned number is looked up as typed. Only public fields.",
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, required=True)],
        responses={200: VerifyResultSerializer, 400: ErrorBodySerializer, 429: ErrorBodySerializer},
    )
    def get(self, request):
        query = VerifyQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationFailed(fields={"code": _("请输入产品编号或扫描二维码所得内容")})
        return Response(public_verify_body(query.validated_data["code"], clock.today()))


class PublicKeysView(PublicMixin, APIView):
    @extend_schema(tags=["public"], summary="二维码签名公钥（公开）",
                   description="kid → base64 raw Ed25519 public key; a code's signature is `kid.b64url(sig)` of "
                   '"sanpin:v1:" + number.',
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT), 429: ErrorBodySerializer})
    def get(self, request):
        return Response(signing.public_keys())


def _organic_batch(request, number, batch_id):
    certificate = scoped_term(request.user, number)
    if not can(request.user, "change", Certificate):
        raise PermissionDenied()
    batch = organic_codes.batches(certificate).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound()
    return batch


class OrganicCodeBatchListView(APIView):
    """有机码 batches of an organic certificate (national staff); POST issues a batch."""

    @extend_schema(tags=["certificates"], summary="有机码批次（国家级）", parameters=[NUMBER],
                   responses={200: OrganicCodeBatchSerializer(many=True), **ERRORS})
    def get(self, request, number):
        certificate = scoped_term(request.user, number)
        if not can(request.user, "change", Certificate):
            raise PermissionDenied()
        return Response(OrganicCodeBatchSerializer(organic_codes.batches(certificate), many=True).data)

    @extend_schema(tags=["certificates"], summary="发放一批有机码（国家级）", parameters=[NUMBER],
                   request=OrganicCodesInSerializer,
                   description="`certifier` is the certifier's 3-digit code; `quantity` is in the certificate's unit. "
                   "All batches of a certificate together never exceed its approved output.",
                   responses={201: OrganicCodeBatchSerializer, **ERRORS})
    def post(self, request, number):
        certificate = scoped_term(request.user, number)
        if not can(request.user, "change", Certificate):
            raise PermissionDenied()
        data = OrganicCodesInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certifier = Certifier.objects.filter(code=data.validated_data["certifier"]).first()
        if certifier is None:
            raise ValidationFailed(fields={"certifier": _("没有该代码的认证机构")})
        batch = organic_codes.organic_codes_issue(
            actor=request.user, certificate=certificate, certifier=certifier,
            count=data.validated_data["count"], quantity=data.validated_data["quantity"],
        )
        return Response(OrganicCodeBatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class OrganicCodeExportView(APIView):
    @extend_schema(tags=["certificates"], summary="有机码批次导出 CSV（上报用）", parameters=[
        NUMBER, OpenApiParameter("batch_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        description="Columns: certificate_number, certifier_code, code, batch_id, issued_on.",
        responses={(200, "text/csv"): OpenApiTypes.BINARY, **ERRORS})
    def get(self, request, number, batch_id):
        return organic_csv_response(_organic_batch(request, number, batch_id))


def organic_csv_response(batch) -> HttpResponse:
    response = HttpResponse(organic_codes.organic_codes_export(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="organic-codes-{batch.certificate.number}-{batch.pk}.csv"'
    return response
