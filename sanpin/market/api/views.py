"""The market under /api/v1/: public listings and dealer directory (no sign-in; the contact rule
is applied to whoever calls), the holder's listings and the two sides' inquiries.

Thin: parse → access → service/selector → serialize."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.pagination import StandardPagination
from sanpin.api.schema import ErrorBodySerializer
from sanpin.api.throttling import ScopedWindowThrottle
from sanpin.core import clock
from sanpin.core.access import can
from sanpin.core.errors import PermissionDenied, ValidationFailed

from .. import selectors, services
from ..forms import DealerSearchForm, ListingSearchForm
from ..models import Inquiry, SupplyListing
from .serializers import (
    DealerSerializer,
    InquiryInSerializer,
    InquirySerializer,
    ListingInSerializer,
    ListingSerializer,
    OwnListingSerializer,
    ReplyInSerializer,
    dealer_row,
    inquiry_row,
    listing_row,
    own_listing_row,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403)}
PUBLIC_ERRORS = {400: ErrorBodySerializer, 429: ErrorBodySerializer}
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


def _form_errors(form) -> ValidationFailed:
    return ValidationFailed(fields={k: [str(m) for m in v] for k, v in form.errors.items()})


def _parsed(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise ValidationFailed(fields={k: [str(m) for m in v] for k, v in serializer.errors.items()})
    return dict(serializer.validated_data)


class _Public(APIView):
    """No sign-in needed; a signed-in caller (token or session) is recognised for the contact rule."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "public"


class PublicListingListView(_Public):
    @extend_schema(
        tags=["market"], summary="供应信息公开查询",
        description="Listings that are active and whose certificate is valid today. Contacts are returned "
        "only to registered buyers, the holder's users and staff in scope; otherwise `contact_hint`.",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="产品、单位名称或证书编号"),
            OpenApiParameter("field", OpenApiTypes.STR, description="产品领域，如 grain_oil、fruit、inputs"),
            OpenApiParameter("scheme", OpenApiTypes.STR,
                             description="green_inputs / green_food / organic / gi / featured"),
            OpenApiParameter("region", OpenApiTypes.STR, description="省级或地级区划代码，如 450000、450100"),
            OpenApiParameter("month", OpenApiTypes.INT, description="供应月份 1–12"),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses={200: ListingSerializer(many=True), **PUBLIC_ERRORS},
    )
    def get(self, request):
        form = ListingSearchForm(request.query_params)
        if not form.is_valid():
            raise _form_errors(form)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.search_listings(on=clock.today(), **form.cleaned_data),
                                           request, view=self)
        rule, hint = selectors.contact_rule(request.user), str(selectors.CONTACT_HINT)
        rows = [listing_row(listing, contacts=rule(listing), hint=hint) for listing in page]
        return paginator.get_paginated_response(ListingSerializer(rows, many=True).data)


class PublicListingDetailView(_Public):
    @extend_schema(tags=["market"], summary="一条供应信息", parameters=[ID],
                   description="404 when withdrawn, taken down or its certificate is not valid today.",
                   responses={200: ListingSerializer, 404: ErrorBodySerializer, 429: ErrorBodySerializer})
    def get(self, request, pk):
        listing = selectors.public_listing(pk, clock.today())
        contacts = selectors.may_see_contacts(request.user, listing)
        row = listing_row(listing, contacts=contacts, hint=str(selectors.CONTACT_HINT))
        return Response(ListingSerializer(row).data)


class PublicDealerListView(_Public):
    @extend_schema(
        tags=["market"], summary="经销商名录",
        description="Buyers that chose to be listed. Contacts only for users of an organisation holding a "
        "valid certificate, and for staff.",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="名称"),
            OpenApiParameter("buyer_type", OpenApiTypes.STR,
                             description="dealer / supermarket / catering / ecommerce / wholesale_market / processor"),
            OpenApiParameter("field", OpenApiTypes.STR, description="采购产品领域"),
            OpenApiParameter("region", OpenApiTypes.STR, description="服务地区（省级或地级区划代码）"),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses={200: DealerSerializer(many=True), **PUBLIC_ERRORS},
    )
    def get(self, request):
        form = DealerSearchForm(request.query_params)
        if not form.is_valid():
            raise _form_errors(form)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.dealer_directory(**form.cleaned_data), request, view=self)
        contacts = selectors.may_see_dealer_contacts(request.user, clock.today())
        return paginator.get_paginated_response(
            DealerSerializer([dealer_row(p, contacts=contacts) for p in page], many=True).data)


class ListingListView(APIView):
    """The holder's own listings (any status); staff: the listings of holders in their region."""

    parser_classes = [JSONParser]

    @extend_schema(tags=["market"], summary="本单位（或辖区）的供应信息",
                   parameters=[OpenApiParameter("status", OpenApiTypes.STR,
                                                description="active / withdrawn / taken_down"),
                               OpenApiParameter("page", OpenApiTypes.INT)],
                   responses={200: OwnListingSerializer(many=True), **ERRORS})
    def get(self, request):
        if not can(request.user, "view", SupplyListing):
            raise PermissionDenied()
        rows = SupplyListing.objects.restrict(request.user, "view").select_related(*selectors.LISTING_RELATED)
        wanted = request.query_params.get("status", "")
        if wanted:
            rows = rows.filter(status=wanted)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows.order_by("-created_at", "-pk"), request, view=self)
        shown = selectors.visible_ids(page, clock.today())
        hint = str(selectors.CONTACT_HINT)
        data = [own_listing_row(listing, contacts=True, hint=hint, visible=listing.pk in shown) for listing in page]
        return paginator.get_paginated_response(OwnListingSerializer(data, many=True).data)

    @extend_schema(
        tags=["market"], summary="发布供应信息",
        description="For the caller's organisation's certificate valid today; the product must be the "
        "certificate's. 400 with `fields` on bad input (nothing written).",
        request=ListingInSerializer, responses={201: OwnListingSerializer, **ERRORS})
    def post(self, request):
        data = _parsed(ListingInSerializer, request.data)
        listing = services.listing_create(actor=request.user, **data)
        listing = SupplyListing.objects.select_related(*selectors.LISTING_RELATED).get(pk=listing.pk)
        row = own_listing_row(listing, contacts=True, hint="", visible=bool(selectors.visible_ids([listing],
                                                                                                  clock.today())))
        return Response(OwnListingSerializer(row).data, status=status.HTTP_201_CREATED)


class ListingWithdrawView(APIView):
    @extend_schema(tags=["market"], summary="撤回供应信息", parameters=[ID], request=None,
                   responses={200: OwnListingSerializer, 404: ErrorBodySerializer, 409: ErrorBodySerializer,
                              **ERRORS})
    def post(self, request, pk):
        listing = services.listing_withdraw(actor=request.user, listing=pk)
        row = own_listing_row(listing, contacts=True, hint="", visible=False)
        return Response(OwnListingSerializer(row).data)


class InquiryListView(APIView):
    """The caller's own inquiries: sent (buyer) or received about its listings (holder)."""

    parser_classes = [JSONParser]

    @extend_schema(tags=["market"], summary="本单位的询价",
                   parameters=[OpenApiParameter("status", OpenApiTypes.STR, description="open / answered"),
                               OpenApiParameter("page", OpenApiTypes.INT)],
                   responses={200: InquirySerializer(many=True), **ERRORS})
    def get(self, request):
        if not can(request.user, "view", Inquiry):
            raise PermissionDenied()
        rows = selectors.own_inquiries(request.user)
        wanted = request.query_params.get("status", "")
        if wanted:
            rows = rows.filter(status=wanted)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows.order_by("-created_at", "-pk"), request, view=self)
        return paginator.get_paginated_response(InquirySerializer([inquiry_row(i) for i in page], many=True).data)

    @extend_schema(
        tags=["market"], summary="向供应信息询价（注册采购商）",
        description="409 `listing_unavailable` when the listing is withdrawn, taken down or its certificate is "
        "no longer valid; 403 `buyer_profile_required` before the buyer profile is filled.",
        request=InquiryInSerializer,
        responses={201: InquirySerializer, 404: ErrorBodySerializer, 409: ErrorBodySerializer, **ERRORS})
    def post(self, request):
        data = _parsed(InquiryInSerializer, request.data)
        inquiry = services.inquiry_send(actor=request.user, listing=data.pop("listing"), **data)
        return Response(InquirySerializer(inquiry_row(inquiry)).data, status=status.HTTP_201_CREATED)


class InquiryReplyView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(tags=["market"], summary="答复询价（供应单位）", parameters=[ID], request=ReplyInSerializer,
                   responses={200: InquirySerializer, 404: ErrorBodySerializer, 409: ErrorBodySerializer, **ERRORS})
    def post(self, request, pk):
        data = _parsed(ReplyInSerializer, request.data)
        inquiry = services.inquiry_reply(actor=request.user, inquiry=pk, reply=data.get("reply", ""))
        return Response(InquirySerializer(inquiry_row(inquiry)).data)
