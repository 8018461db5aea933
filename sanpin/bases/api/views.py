"""Bases under /api/v1/: the scoped list with the list page's filters, entering and correcting a
base, applying for acceptance, yearly checks and removal. Thin: parse → access (selectors: 403
wrong role, 404 out of scope) → service → serialize. Errors leave as {"code", "message", "fields"}."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.certificates.models import Certificate
from sanpin.core.access import can
from sanpin.core.api.lists import ScopedListView
from sanpin.core.errors import PermissionDenied, ValidationFailed
from sanpin.gap.models import GAPCertificate

from .. import selectors, services
from ..filtersets import BaseFilterSet
from ..forms import base_initial
from ..models import Base
from ..validation import FIELDS
from .serializers import (
    ApplicationRefSerializer,
    BaseCheckInSerializer,
    BaseCheckSerializer,
    BaseDetailSerializer,
    BaseInSerializer,
    BaseRemoveInSerializer,
    BaseSerializer,
)

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404, 409)}
TAGS = ["bases"]


def _out(pk) -> dict:
    base = selectors.with_links(Base.objects.filter(pk=pk)).select_related(*selectors.RELATED).get()
    return BaseDetailSerializer(base).data


def _links(values: dict) -> dict:
    """Certificate numbers and GAP record ids → the records (the service checks they are the
    operator's own); an unknown one is a 400 on its field."""
    out = {}
    numbers = values.pop("certificates", None)
    if numbers is not None:
        found = {c.number: c for c in Certificate.objects.filter(number__in=numbers, renewed=False)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise ValidationFailed(fields={"certificates": _("未找到证书：%(n)s") % {"n": "、".join(missing)}})
        out["certificates"] = list(found.values())
    ids = values.pop("gap_certificates", None)
    if ids is not None:
        found = {g.pk: g for g in GAPCertificate.objects.filter(pk__in=ids)}
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise ValidationFailed(fields={"gap_certificates": _("未找到良好农业规范认证记录：%(n)s") % {
                "n": "、".join(missing)}})
        out["gap_certificates"] = list(found.values())
    return out


@extend_schema_view(get=extend_schema(
    tags=TAGS, summary="生产基地列表（按管辖范围）",
    description="工作机构人员看到本辖区的基地，运营主体看到本单位的基地。筛选参数与列表页、Excel 导出相同；"
                "参数有误答 400。",
    responses={200: BaseSerializer(many=True), **ERRORS},
))
class BaseListView(ScopedListView):
    """Bases in the caller's scope; POST enters one (agency staff of the base's region)."""

    serializer_class = BaseSerializer
    model = Base
    filterset_class = BaseFilterSet

    def rows(self):
        return selectors.with_links(Base.objects.restrict(self.request.user, "view")
                                    .select_related(*selectors.RELATED).order_by("county_id", "name", "pk"))

    @extend_schema(tags=TAGS, summary="录入生产基地", request=BaseInSerializer,
                   description="新录入的基地为“按标建设”状态。400：缺少必填项、类型或级别不正确、区划或运营主体"
                               "不存在、同县重名、面积或产量超出合理范围、所在县不在本账号管辖范围、关联证书不是运营"
                               "主体本单位的；fields 指明字段。",
                   responses={201: BaseDetailSerializer, **ERRORS})
    def post(self, request):
        if not can(request.user, "change", Base):
            raise PermissionDenied()
        body = BaseInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        links = _links(values)
        base = selectors.county_in_scope(lambda: services.base_create(actor=request.user, **values, **links))
        return Response(_out(base.pk), status=status.HTTP_201_CREATED)


class BaseDetailView(APIView):
    @extend_schema(tags=TAGS, summary="生产基地详情（含目录状态变更记录和年度检查）",
                   responses={200: BaseDetailSerializer, **ERRORS})
    def get(self, request, id):
        return Response(_out(selectors.scoped_base(request.user, id).pk))

    @extend_schema(tags=TAGS, summary="修改生产基地信息", request=BaseInSerializer,
                   description="只改所给的字段；certificates / gap_certificates 给出时整体替换关联。"
                               "已移出目录的基地不能修改（409）。400 同录入。",
                   responses={200: BaseDetailSerializer, **ERRORS})
    def patch(self, request, id):
        base = selectors.scoped_base(request.user, id, "change")
        body = BaseInSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        links = _links(values)
        current = base_initial(base)
        merged = {name: values.get(name, current[name]) for name in FIELDS}
        selectors.county_in_scope(lambda: services.base_update(actor=request.user, base=base, **merged, **links))
        return Response(_out(base.pk))


class BaseApplyView(APIView):
    @extend_schema(tags=TAGS, summary="运营主体申请验收", request=None,
                   description="创建一份验收复核申请草稿（认证类型 base），之后通过申请接口上传材料并提交。"
                               "403：不是该基地运营主体的申请人；409：基地不在按标建设状态，或已有正在办理的申请。",
                   responses={201: ApplicationRefSerializer, **ERRORS})
    def post(self, request, id):
        base = selectors.scoped_base(request.user, id)
        application = services.base_apply_for_listing(actor=request.user, base=base)
        return Response(ApplicationRefSerializer(application).data, status=status.HTTP_201_CREATED)


class BaseCheckView(APIView):
    @extend_schema(tags=TAGS, summary="登记年度检查", request=BaseCheckInSerializer,
                   description="目录内基地每年一次；同一年度再次登记答 409。不合格时 findings 必填。"
                               "由验收该基地的层级及以上工作机构登记。",
                   responses={201: BaseCheckSerializer, **ERRORS})
    def post(self, request, id):
        base = selectors.scoped_base(request.user, id, "change")
        body = BaseCheckInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        check = services.base_record_check(actor=request.user, base=base, **body.validated_data)
        return Response(BaseCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class BaseRemoveView(APIView):
    @extend_schema(tags=TAGS, summary="移出目录", request=BaseRemoveInSerializer,
                   description="发生重大农产品质量安全事件、存在违规违法行为或不符合基地相关要求的移出目录，"
                               "须写明事实和依据；移出后不再公开。409：基地不在目录内。",
                   responses={200: BaseDetailSerializer, **ERRORS})
    def post(self, request, id):
        base = selectors.scoped_base(request.user, id, "change")
        body = BaseRemoveInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.base_remove(actor=request.user, base=base, **body.validated_data)
        return Response(_out(base.pk))
