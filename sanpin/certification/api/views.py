"""Applications API: create a draft, submit, list the actions allowed now and take one, upload
and fetch materials, list my tasks. Thin: parse → access → engine/service → represent."""

from django.db.models import Prefetch
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from sanpin.accounts.models import User
from sanpin.api.pagination import KEYSET_PARAMETERS, KeysetOrPagePagination
from sanpin.api.schema import ErrorBodySerializer
from sanpin.catalog.models import Entity
from sanpin.core.access import access_by_id, can
from sanpin.core.errors import NotFound, PermissionDenied, ValidationFailed

from .. import declared_inputs, engine, services
from ..models import Application, Attachment, Step
from ..schemes import scheme_config
from ..selectors import LIST_ORDER, my_tasks, step_clock
from .representation import application_payload, application_summary
from .serializers import (
    ActionInSerializer,
    ActionOutSerializer,
    ApplicationCreateSerializer,
    ApplicationOutSerializer,
    ApplicationSummarySerializer,
    AttachmentInSerializer,
    DeclaredInputInSerializer,
)

ERRORS = {code: OpenApiResponse(ErrorBodySerializer) for code in (400, 401, 403, 404, 409)}
class ApplicationPagination(KeysetOrPagePagination):
    key = LIST_ORDER


def _certificate_of(entity, number):
    from sanpin.certificates.models import Certificate

    if not number:
        return None
    certificate = Certificate.objects.filter(holder=entity, number=number, renewed=False).first()
    if certificate is None:
        raise ValidationFailed(fields={"certificate": "未找到本单位的该证书"})
    return certificate


class ApplicationViewSet(ViewSet):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _get(self, request, pk, action_name="view"):
        return access_by_id(Application.objects.select_related("entity__region", "certificate"), request.user, pk,
                            action_name)

    @extend_schema(responses={200: ApplicationSummarySerializer(many=True), **ERRORS},
                   summary="申请列表（本人可见范围）；详情见单个申请",
                   description="Newest first. `?page=` / `?page_size=` pages count the total; `?after=` (empty for "
                   "the first page) and `?before=` read keyset pages by cursor, as fast deep as at the top, with "
                   "`count` null. Filters: scheme, kind, state, entity.",
                   parameters=[OpenApiParameter("page", OpenApiTypes.INT),
                               OpenApiParameter("page_size", OpenApiTypes.INT),
                               *[OpenApiParameter(p["name"], OpenApiTypes.STR, description=p["description"])
                                 for p in KEYSET_PARAMETERS]])
    def list(self, request):
        if not can(request.user, "view", Application):
            raise PermissionDenied()
        queryset = Application.objects.restrict(request.user, "view").select_related("entity__region", "certificate")
        for field in ("scheme", "kind", "state"):
            if request.query_params.get(field):
                queryset = queryset.filter(**{field: request.query_params[field]})
        entity = request.query_params.get("entity", "")
        if entity:
            if not entity.isdigit():
                raise ValidationFailed(fields={"entity": "申请人编号应为整数"})
            queryset = queryset.filter(entity_id=int(entity))
        paginator = self.paginator
        queryset = queryset.prefetch_related(
            Prefetch("steps", queryset=Step.objects.filter(finished_at__isnull=True).select_related("deadline"),
                     to_attr="open_steps"))
        page = paginator.paginate_queryset(queryset.order_by(*LIST_ORDER.order()), request, view=self)
        return paginator.get_paginated_response([application_summary(a, a.open_steps) for a in page])

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = ApplicationPagination()
        return self._paginator

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationOutSerializer, **ERRORS},
                   summary="创建申请草稿")
    def create(self, request):
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        entity = access_by_id(Entity, request.user, values["entity"], "view")
        application = engine.application_create(
            actor=request.user, scheme=values["scheme"], kind=values["kind"], entity=entity,
            products=values["products"], certificate=_certificate_of(entity, values.get("certificate")),
            data=values["data"], inputs=values["inputs"],
        )
        return Response(application_payload(application), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ApplicationOutSerializer, **ERRORS},
                   summary="申请详情：状态、当前环节及时限、费用、记录")
    def retrieve(self, request, pk=None):
        return Response(application_payload(self._get(request, pk)))

    @extend_schema(request=None, responses={200: ApplicationOutSerializer, **ERRORS}, summary="申请人提交申请")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self._get(request, pk, "act")
        return Response(application_payload(engine.application_submit(actor=request.user, application=application)))

    @extend_schema(methods=["get"], responses={200: ActionOutSerializer(many=True), **ERRORS},
                   summary="当前可办理的操作")
    @extend_schema(methods=["post"], request=ActionInSerializer, responses={200: ApplicationOutSerializer, **ERRORS},
                   summary="办理一个操作；当前状态不允许时返回 409")
    @action(detail=True, methods=["get", "post"])
    def actions(self, request, pk=None):
        if request.method == "GET":
            application = self._get(request, pk)
            allowed = engine.available_actions(request.user, application)
            return Response([{"code": a.code, "label": str(a.label), "requires": list(a.requires)} for a in allowed])
        application = self._get(request, pk, "act")
        body = ActionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        data = engine.ActionInput(
            opinion=values["opinion"], reason=values["reason"], days=values["days"],
            inspector=_user_or_error(values["inspector"], "inspector"),
            lab=_lab_or_error(values["lab"]), lab_tests=tuple(values["lab_tests"]),
            experts=values["experts"], favourable=values["favourable"],
        )
        application = engine.application_act(actor=request.user, application=application, action=values["action"],
                                              data=data, expected_state=values["state"] or None)
        return Response(application_payload(application))

    @extend_schema(methods=["post"], request={"multipart/form-data": AttachmentInSerializer},
                   responses={201: ApplicationOutSerializer, **ERRORS}, summary="上传申请材料")
    @action(detail=True, methods=["post"], url_path="attachments")
    def attachments(self, request, pk=None):
        application = self._get(request, pk, "act")
        body = AttachmentInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.attachment_add(actor=request.user, application=application, kind=body.validated_data["kind"],
                                upload=body.validated_data["file"])
        return Response(application_payload(application), status=status.HTTP_201_CREATED)

    @extend_schema(methods=["post"], request=DeclaredInputInSerializer,
                   responses={201: ApplicationOutSerializer, **ERRORS},
                   summary="申报一种投入品（草稿或补正材料时）")
    @action(detail=True, methods=["post"], url_path="inputs")
    def inputs(self, request, pk=None):
        application = self._get(request, pk, "act")
        body = DeclaredInputInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        declared_inputs.declared_input_add(actor=request.user, application=application, **body.validated_data)
        return Response(application_payload(application), status=status.HTTP_201_CREATED)

    @extend_schema(methods=["delete"], request=None, responses={200: ApplicationOutSerializer, **ERRORS},
                   summary="撤回一种申报的投入品（草稿或补正材料时）")
    @action(detail=True, methods=["delete"], url_path=r"inputs/(?P<item_id>\d+)")
    def input_remove(self, request, pk=None, item_id=None):
        application = self._get(request, pk, "act")
        declared_inputs.declared_input_remove(actor=request.user, application=application, item_id=item_id)
        return Response(application_payload(application))

    @extend_schema(responses={(200, "application/octet-stream"): bytes, **ERRORS}, summary="下载申请材料")
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request, pk=None, attachment_id=None):
        application = self._get(request, pk)
        item = Attachment.objects.filter(application=application, pk=attachment_id).first()
        if item is None:
            raise NotFound()
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename,
                            content_type=item.content_type)


def _user_or_error(pk, field):
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationFailed(fields={field: "未找到该用户"})
    return user


def _lab_or_error(pk):
    if pk is None:
        return None
    lab = Entity.objects.filter(pk=pk, kind="lab", is_active=True).first()
    if lab is None:
        raise ValidationFailed(fields={"lab": "未找到该检测机构"})
    return lab


class TaskViewSet(ViewSet):
    @extend_schema(responses={200: OpenApiResponse(description="我的待办环节"), **ERRORS}, summary="我的待办")
    def list(self, request):
        if not can(request.user, "act", Application):
            raise PermissionDenied()
        items = []
        for step in my_tasks(request.user)[:500]:
            spec = scheme_config(step.application.scheme).steps.get(step.code)
            clock = step_clock(step)
            items.append({
                "application": step.application_id, "number": step.application.number,
                "entity": step.application.entity.name, "step": step.code, "step_name": str(spec.name),
                "deadline": clock.due_on, "days_left": clock.days_left, "overdue": clock.overdue, "warn": clock.warn,
                "provisional": clock.provisional,
            })
        return Response(items)
