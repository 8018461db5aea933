"""Regions (public, throttled) and entities (scoped) under /api/v1/. Thin: parse → access →
service or filtered query → serialize."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.api.throttling import ScopedWindowThrottle
from sanpin.catalog import services
from sanpin.catalog.filtersets import EntityFilterSet, RegionFilterSet
from sanpin.catalog.models import Entity, Region
from sanpin.core.access import access_by_id, can
from sanpin.core.errors import PermissionDenied

from .serializers import (
    EntityCreateInputSerializer,
    EntityOutputSerializer,
    EntityUpdateInputSerializer,
    RegionDetailSerializer,
    RegionSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404)}


class PublicRegionMixin:
    permission_classes = [AllowAny]
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"
    queryset = Region.objects.all()


@extend_schema_view(get=extend_schema(
    tags=["regions"],
    summary="行政区划列表（公开）",
    description="GB/T 2260 administrative divisions. Without `parent`, `level`, `q` or a flag filter the "
    "provinces are listed; `parent=<code>` lists its children (a municipality's districts sit directly "
    "under the province). Public, rate-limited.",
    responses={200: RegionSerializer(many=True), 429: ErrorBodySerializer},
))
class RegionListView(PublicRegionMixin, generics.ListAPIView):
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet


@extend_schema_view(get=extend_schema(
    tags=["regions"], summary="单个行政区划（公开）",
    responses={200: RegionDetailSerializer, 404: ErrorBodySerializer, 429: ErrorBodySerializer},
))
class RegionDetailView(PublicRegionMixin, generics.RetrieveAPIView):
    serializer_class = RegionDetailSerializer
    lookup_field = "code"
    lookup_url_kwarg = "code"


class EntityListCreateView(generics.GenericAPIView):
    """Organisations in the caller's scope; agency staff register new ones."""

    filterset_class = EntityFilterSet
    serializer_class = EntityOutputSerializer

    def get_queryset(self):
        return Entity.objects.restrict(self.request.user, "view").select_related("region").prefetch_related(
            "trademarks"
        ).order_by("name", "pk")

    @extend_schema(tags=["entities"], summary="主体列表（按管辖范围）",
                   responses={200: EntityOutputSerializer(many=True), **ERRORS})
    def get(self, request):
        if not can(request.user, "view", Entity):
            raise PermissionDenied()
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(EntityOutputSerializer(page, many=True).data)

    @extend_schema(
        tags=["entities"], summary="登记主体",
        description="Agency staff register an organisation in a county of their region. `uscc` is checked "
        "with its check character (400, `fields.uscc`); a code already registered answers 400 with "
        '`"code": "duplicate"` and `fields.uscc` (the holder is named only if it is in your scope).',
        request=EntityCreateInputSerializer,
        responses={201: EntityOutputSerializer, **ERRORS},
    )
    def post(self, request):
        data = EntityCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entity = services.entity_create(actor=request.user, **data.validated_data)
        return Response(EntityOutputSerializer(entity).data, status=status.HTTP_201_CREATED)


class EntityDetailView(APIView):
    """One organisation: out of scope answers 404, a role that may not act 403."""

    @extend_schema(tags=["entities"], summary="单个主体", responses={200: EntityOutputSerializer, **ERRORS},
                   parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)])
    def get(self, request, pk):
        entity = access_by_id(Entity.objects.select_related("region"), request.user, pk, "view")
        return Response(EntityOutputSerializer(entity).data)

    @extend_schema(
        tags=["entities"], summary="修改主体",
        description="Staff in scope may change any field; the organisation's own applicant only address, "
        "contact_name, contact_phone and email (other fields answer 400 naming the field).",
        request=EntityUpdateInputSerializer, responses={200: EntityOutputSerializer, **ERRORS},
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    def patch(self, request, pk):
        entity = access_by_id(Entity, request.user, pk, "change")
        data = EntityUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        reason = values.pop("reason", "")
        entity = services.entity_update(entity=entity, actor=request.user, data=values, reason=reason)
        entity = Entity.objects.select_related("region").prefetch_related("trademarks").get(pk=entity.pk)
        return Response(EntityOutputSerializer(entity).data)
