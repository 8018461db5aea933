"""Import of existing records (national staff) and scoped archive downloads under /api/v1/."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer

from .. import io, selectors, services
from .serializers import ImportInSerializer, RefusedSerializer, ReportSerializer

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404)}


class ImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ImportInSerializer},
        parameters=[OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="1：仅校验，不写入")],
        responses={200: ReportSerializer, 400: RefusedSerializer, 401: ErrorBodySerializer,
                   403: ErrorBodySerializer},
        summary="导入存量主体、证书和档案文件（全部或全不）",
    )
    def post(self, request):
        data = ImportInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data.get("files")
        dry_run = request.query_params.get("dry_run", "0").lower() in ("1", "true", "yes")
        files = io.FileSource.from_zip(upload.read()) if upload else io.FileSource.empty()
        report = services.records_import(actor=request.user, workbook=data.validated_data["workbook"].read(),
                                         files=files, dry_run=dry_run)
        if report.ok or dry_run:
            return Response(report.as_dict())
        body = report.as_dict()
        message = _("有 %(n)d 处错误，未导入任何数据") % {"n": len(report.problems)}
        return Response({"code": "rows_refused", "message": message,
                         "fields": {"workbook": [_("工作簿中有未通过校验的行，见 problems")]},
                         "problems": body["problems"]}, status=400)


class DocumentView(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY), **ERRORS},
                   summary="下载业务档案文件（仅限可查看该证书的用户）")
    def get(self, request, document_id):
        document = selectors.archive_document(request.user, document_id)
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)
