"""The credit report a bank reads through the API with the entity's consent ("信用+金融"):
`GET /api/v1/credit-reports/{entity_id}/`. Without an active consent of that entity to the
caller's bank: 404 and nothing logged; with one, one read (format "api") in the same transaction.
Thin: parse → access (consent) → build → serialize."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.core import clock
from sanpin.core.middleware import client_ip_of

from .. import consent as consents
from .. import report as reports
from .serializers import CreditContributionSerializer


class ReportEntitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField(help_text="统一社会信用代码")
    region = serializers.CharField(help_text="行政区划代码")
    region_name = serializers.CharField()


class ReportBankSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReportConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    purpose = serializers.CharField(help_text="授权用途")
    granted_on = serializers.DateField(help_text="授权日期")
    valid_until = serializers.DateField(help_text="授权截止日期（含当日）")


class ReportCertificateSerializer(serializers.Serializer):
    scheme = serializers.CharField(help_text="green_inputs、green_food、organic、gi 或 featured")
    scheme_label = serializers.CharField()
    number = serializers.CharField()
    product_name = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()


class CreditReportSerializer(serializers.Serializer):
    entity = ReportEntitySerializer()
    bank = ReportBankSerializer(help_text="查询机构")
    on = serializers.DateField(help_text="报告日期")
    consent = ReportConsentSerializer()
    score = serializers.FloatField(help_text="0–100")
    grade = serializers.CharField(help_text="A、B、C 或 D")
    grade_label = serializers.CharField()
    rulebook_version = serializers.IntegerField()
    certificates = ReportCertificateSerializer(many=True, help_text="报告日期有效的证书，按认证类型排列")
    events_since = serializers.DateField(help_text="列出事件的起始日期（报告日期前三年）")
    events = CreditContributionSerializer(many=True, help_text="近三年信用事件，新的在前，points 为当前影响")


class CreditReportView(APIView):
    @extend_schema(
        tags=["credit"], summary="主体信用报告（金融机构凭主体授权查询）",
        description="For a bank user whose bank holds an active consent of the entity (granted on the "
        "entity's 我的信用 page, not withdrawn, not past its last day). Every successful call is logged "
        "as a read (format `api`) that the entity sees. Without such a consent — none, lapsed, withdrawn, "
        "or granted to another bank — the answer is 404 and nothing is logged; roles other than bank 403.",
        parameters=[OpenApiParameter("entity_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="主体 id")],
        responses={200: CreditReportSerializer, **{code: ErrorBodySerializer for code in (401, 403, 404)}},
    )
    def get(self, request, entity_id):
        with transaction.atomic():
            consent = consents.report_read(actor=request.user, entity_id=entity_id, format="api",
                                           ip=client_ip_of(request))
            body = reports.as_json(reports.build(consent, clock.today()))
        return Response(CreditReportSerializer(body).data)
