"""An entity's credit under /api/v1/. Thin: parse → access → compute → serialize."""

import datetime

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sanpin.api.schema import ErrorBodySerializer
from sanpin.core import clock
from sanpin.core.errors import ValidationFailed

from .. import scoring, selectors
from ..choices import CreditKind, Grade
from .serializers import CreditSerializer

ERRORS = {code: ErrorBodySerializer for code in (400, 401, 403, 404)}


class EntityCreditView(APIView):
    """Score, grade, rulebook version and the events that moved the score."""

    @extend_schema(
        tags=["credit"], summary="主体信用（分数、等级、规则版本与事件）",
        description="Computed on `on` (today by default) under the rulebook version in force that day. "
        "Staff whose region covers the entity and the entity's own applicant; out of scope 404, "
        "a role that may not read credit files 403.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH),
                    OpenApiParameter("on", OpenApiTypes.DATE, description="评价日期 YYYY-MM-DD，默认今天")],
        responses={200: CreditSerializer, **ERRORS},
    )
    def get(self, request, pk):
        entity = selectors.credit_entity(request.user, pk)
        raw = request.query_params.get("on", "").strip()
        on = clock.today()
        if raw:
            try:
                on = datetime.date.fromisoformat(raw)
            except ValueError:
                raise ValidationFailed(fields={"on": _("日期格式应为 YYYY-MM-DD")}) from None
        result = scoring.score(entity, on=on)
        body = {
            "entity": {"id": entity.pk, "name": entity.name, "uscc": entity.uscc},
            "score": result.score, "grade": result.grade, "grade_label": str(Grade(result.grade).label),
            "rulebook_version": result.rulebook_version, "on": on,
            "events": [{"kind": event.kind, "kind_label": str(CreditKind(event.kind).label),
                        "occurred_on": event.occurred_on, "summary": event.summary, "points": points}
                       for event, points in result.contributions],
        }
        return Response(CreditSerializer(body).data)
