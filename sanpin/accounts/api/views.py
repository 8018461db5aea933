"""Token sign-in for other systems, token revocation, and who the caller is."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.throttling import ScopedWindowThrottle

from ..services import token_issue, token_revoke
from ..signin import authenticate_for_api
from .serializers import ErrorBodySerializer, MeSerializer, TokenRequestSerializer, TokenSerializer


class TokenObtainView(APIView):
    """`{"username", "password"}` → `{"token"}`; django-axes counts failures like the sign-in page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedWindowThrottle]
    throttle_scope = "token"

    @extend_schema(
        tags=["auth"], operation_id="auth_token_obtain", summary="获取 API 令牌",
        description="用户名和密码换取令牌，之后请求头带 `Authorization: Token <token>`。"
        "已启用动态验证码的账号须同时提交 `otp`。连续 5 次失败后该用户名在该地址锁定 30 分钟（429）。",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: ErrorBodySerializer, 403: ErrorBodySerializer,
                   429: ErrorBodySerializer},
        examples=[OpenApiExample("错误的密码", status_codes=["400"], response_only=True, value={
            "code": "invalid_credentials", "message": "用户名或密码错误",
            "fields": {"non_field_errors": ["用户名或密码错误"]}})],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate_for_api(
            request, username=data["username"], password=data["password"], otp=data.get("otp", "")
        )
        token = token_issue(actor=user)
        return Response({"token": token.key})


class TokenRevokeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["auth"], operation_id="auth_token_revoke", summary="注销本人的 API 令牌",
        request=None, responses={204: None, 401: ErrorBodySerializer},
    )
    def post(self, request):
        token_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["auth"], operation_id="auth_me", summary="当前用户",
        description="用户名、姓名、角色，以及所属工作机构（层级、行政区划）或所属主体。",
        responses={200: MeSerializer, 401: ErrorBodySerializer},
    )
    def get(self, request):
        user = request.user
        agency = user.agency
        payload = {
            "username": user.username,
            "display_name": user.display_name,
            "roles": sorted(user.roles),
            "agency": None if agency is None else {
                "name": agency.name,
                "level": agency.level,
                "region": None if agency.region is None else {"code": agency.region.code, "name": agency.region.name},
            },
            "entity": None if user.entity_id is None else {"id": user.entity_id, "name": user.entity.name},
        }
        return Response(MeSerializer(payload).data)
