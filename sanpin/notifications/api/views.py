"""The caller's own notifications: list (optionally unread only) and mark one read."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer

from ..selectors import access_notification_by_id, notifications_of
from ..services import notification_mark_read
from .serializers import NotificationQuerySerializer, NotificationSerializer


class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer
    filter_backends = []

    def get_queryset(self):
        query = NotificationQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return notifications_of(self.request.user, unread_only=query.validated_data["unread"])

    @extend_schema(
        tags=["notifications"], operation_id="notifications_list", summary="本人的站内消息",
        parameters=[NotificationQuerySerializer],
        responses={200: NotificationSerializer(many=True),
                   400: OpenApiResponse(ErrorBodySerializer), 401: OpenApiResponse(ErrorBodySerializer)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadView(APIView):
    @extend_schema(
        tags=["notifications"], operation_id="notifications_read", summary="将一条站内消息标为已读",
        request=None,
        responses={200: NotificationSerializer, 401: OpenApiResponse(ErrorBodySerializer),
                   404: OpenApiResponse(ErrorBodySerializer, description="不存在，或不是本人的消息")},
    )
    def post(self, request, pk):
        notification = access_notification_by_id(request.user, pk)
        notification = notification_mark_read(actor=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)
