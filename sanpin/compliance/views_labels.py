"""打印标签: the label PDF of one or many 合格证 (`/compliance/labels/`).

GET (links, e.g. from the certificate's page) or POST (a form listing many codes) with:
- `code`: one or more codes (repeated, or separated by commas / spaces / new lines);
- `size`: a key of sanpin.compliance.labels.SIZES; without it the phone page to choose one;
- `copies`: how many labels of each certificate (1 by default; one per box of the lot).

Only the issuer and staff whose region holds the issuing county may print: others get 404 (or
403 for a role that never may), like every other record.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.core import clock
from sanpin.core.errors import ValidationFailed
from sanpin.core.views.mixins import RoleRequiredMixin

from . import labels
from .models import COMPLIANCE_ACTIONS


def _copies(value, count: int) -> int:
    try:
        copies = int(value or 1)
    except (TypeError, ValueError):
        copies = 0
    if copies < 1 or copies * count > labels.MAX_LABELS:
        message = _("份数须为 1 至 %(n)s 之间的整数（每次最多 %(max)s 张标签）") % {
            "n": max(labels.MAX_LABELS // max(count, 1), 1), "max": labels.MAX_LABELS}
        raise ValidationFailed(message, fields={"copies": message})
    return copies


class LabelsView(RoleRequiredMixin, View):
    roles = COMPLIANCE_ACTIONS["view"]

    def get(self, request):
        return self.answer(request, request.GET)

    def post(self, request):
        return self.answer(request, request.POST)

    def answer(self, request, data):
        certificates = labels.certificates_for_labels(request.user, data.getlist("code"))
        size = data.get("size", "")
        if not size:
            return render(request, "compliance/labels_page.html", {
                "rows": [(c, labels.quantity_text(c.quantity)) for c in certificates],
                "sizes": list(labels.SIZES.values()),
                "default_size": labels.DEFAULT_SIZE,
                "max_copies": max(labels.MAX_LABELS // len(certificates), 1),
            })
        if size not in labels.SIZES:
            message = _("请选择标签尺寸：%(sizes)s") % {"sizes": "、".join(labels.SIZES)}
            raise ValidationFailed(message, fields={"size": message})
        copies = _copies(data.get("copies"), len(certificates))
        printed = [certificate for certificate in certificates for _copy in range(copies)]
        response = HttpResponse(labels.labels_pdf(printed, size), content_type="application/pdf")
        name = labels.filename([c.code for c in certificates], size, clock.today())
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
