"""Base import (synchronous, all or nothing) and export of a filtered list under /api/v1/."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.core.errors import ValidationFailed

from .. import exports, imports, io
from .serializers_import import BaseImportInSerializer, BaseImportRefusedSerializer, BaseImportResultSerializer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["bases"], summary="导入基地信息（全部或全不）",
        description="Every row is checked with the same rules as the form and `POST /bases/`. Any refused "
        "cell: 400 `rows_refused` listing every one (row as in Excel, column header, reason) and nothing is "
        "written. `dry_run=1` only checks. A clean real run writes all rows in one transaction. A file that "
        "cannot be used at all (too large, unreadable, not the template, empty) is one 400 `invalid`.",
        request={"multipart/form-data": BaseImportInSerializer},
        parameters=[OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="1：仅校验，不写入")],
        responses={200: BaseImportResultSerializer,
                   400: OpenApiResponse(BaseImportRefusedSerializer, description="有未通过校验的行，或文件无法使用"),
                   401: ErrorBodySerializer, 403: ErrorBodySerializer, 409: ErrorBodySerializer},
    )
    def post(self, request):
        data = BaseImportInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > io.MAX_FILE_BYTES:
            mb = io.MAX_FILE_BYTES // (1024 * 1024)
            raise ValidationFailed(_("文件超过 %(mb)d MB，请分成几个文件导入") % {"mb": mb},
                                   fields={"file": _("文件过大（不超过 %(mb)d MB）") % {"mb": mb}})
        dry_run = request.query_params.get("dry_run", "0").strip().lower() in ("1", "true", "yes")
        result = imports.bases_import(actor=request.user, data=upload.read(), dry_run=dry_run)
        if result.ok:
            return Response(result.as_dict())
        message = _("有 %(rows)d 行（%(n)d 处）未通过校验，未导入任何数据") % {
            "rows": result.refused_rows, "n": len(result.problems)}
        return Response({"code": "rows_refused", "message": message,
                         "fields": {"file": [_("文件中有未通过校验的行，见 problems")]}, **result.as_dict()},
                        status=400)


class ExportView(APIView):
    @extend_schema(
        tags=["bases"], summary="导出基地列表（xlsx）",
        description="The bases in the caller's scope matching the same filters as the base list, in the "
        "import template's columns plus 目录状态, 目录编号, 纳入目录日期, 运营主体名称, 县名称.",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="基地名称、产品、运营主体或目录编号"),
            OpenApiParameter("base_type", OpenApiTypes.STR, description="GF / OR / GI / GQ / IP / FC"),
            OpenApiParameter("level", OpenApiTypes.STR, description="national / provincial / district"),
            OpenApiParameter("status", OpenApiTypes.STR, description="building / listed / removed"),
            OpenApiParameter("region", OpenApiTypes.STR, description="区划代码（含下级）"),
            OpenApiParameter("operator", OpenApiTypes.INT, description="运营主体 id"),
        ],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY), 401: ErrorBodySerializer,
                   403: ErrorBodySerializer},
    )
    def get(self, request):
        data, _count = exports.bases_export(actor=request.user, params=request.query_params)
        response = HttpResponse(data, content_type=XLSX)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="bases-{stamp}.xlsx"'
        return response
