"""Excel export of a (filtered, scoped) certificate list."""

import datetime
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from .choices import GreenInputCategory, Scheme

HEADERS = (
    gettext_lazy("产品编号"), gettext_lazy("认证类型"), gettext_lazy("获证单位"), gettext_lazy("统一社会信用代码"),
    gettext_lazy("产品名称"), gettext_lazy("产品类别"), gettext_lazy("商标"), gettext_lazy("核准产量"),
    gettext_lazy("产量单位"), gettext_lazy("核准日期"), gettext_lazy("有效期起"), gettext_lazy("有效期至"),
    gettext_lazy("状态"),
)


def certificates_xlsx(certificates, today: datetime.date) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("证书"))
    sheet.append([str(h) for h in HEADERS])
    for c in certificates:
        category = GreenInputCategory(c.category).label if c.category in GreenInputCategory.values else c.category
        sheet.append([
            c.number, str(Scheme(c.scheme).label), c.holder.name, c.holder.uscc, c.product_name, str(category),
            c.trademark, c.approved_output, c.output_unit, c.approved_on, c.valid_from, c.valid_until,
            c.effective_status_label(today),
        ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
