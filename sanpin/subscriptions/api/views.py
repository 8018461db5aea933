"""The caller's own subscriptions under /api/v1/: list, follow, unfollow, the delivery log."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer

from .. import selectors, services
from .serializers import (
    DeliverySerializer,
    SubscriptionCreatedSerializer,
    SubscriptionInSerializer,
    SubscriptionSerializer,
)

ERRORS = {code: OpenApiResponse(ErrorBodySerializer) for code in (401, 403)}
NOT_OURS = OpenApiResponse(ErrorBodySerializer, description="不存在，或不是本人的订阅")


class SubscriptionListView(generics.ListAPIView):
    serializer_class = SubscriptionSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.subscriptions_of(self.request.user)

    @extend_schema(tags=["subscriptions"], operation_id="subscriptions_list", summary="本人的订阅",
                   responses={200: SubscriptionSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["subscriptions"], operation_id="subscriptions_create", summary="关注一张证书或一个持证主体",
        description="选择 webhook 渠道时，响应中的 webhook_secret 只返回这一次。",
        request=SubscriptionInSerializer,
        responses={201: SubscriptionCreatedSerializer, 400: OpenApiResponse(ErrorBodySerializer),
                   409: OpenApiResponse(ErrorBodySerializer, description="已关注该对象"), **ERRORS},
    )
    def post(self, request):
        data = SubscriptionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subscription, secret = services.subscription_create(actor=request.user, **data.validated_data)
        body = SubscriptionCreatedSerializer(subscription).data
        body["webhook_secret"] = secret
        return Response(body, status=status.HTTP_201_CREATED)


class SubscriptionDetailView(APIView):
    @extend_schema(tags=["subscriptions"], operation_id="subscriptions_retrieve", summary="一条本人的订阅",
                   responses={200: SubscriptionSerializer, 404: NOT_OURS, **ERRORS})
    def get(self, request, pk):
        return Response(SubscriptionSerializer(selectors.access_subscription_by_id(request.user, pk)).data)

    @extend_schema(tags=["subscriptions"], operation_id="subscriptions_destroy", summary="取消关注",
                   responses={204: None, 404: NOT_OURS, 409: OpenApiResponse(ErrorBodySerializer), **ERRORS})
    def delete(self, request, pk):
        subscription = selectors.access_subscription_by_id(request.user, pk)
        services.subscription_cancel(actor=request.user, subscription=subscription)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListView(generics.ListAPIView):
    serializer_class = DeliverySerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.deliveries_of(selectors.access_subscription_by_id(self.request.user, self.kwargs["pk"]))

    @extend_schema(tags=["subscriptions"], operation_id="subscriptions_deliveries", summary="一条订阅的推送记录",
                   responses={200: DeliverySerializer(many=True), 404: NOT_OURS, **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
