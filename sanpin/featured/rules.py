"""The 名特优新 review's own effects, registered by name with the engine (the scheme configuration
in sanpin/certification/schemes/featured.py names them)."""

from django.utils.translation import gettext as _

from sanpin.certification.choices import AttachmentKind
from sanpin.certification.effects import register
from sanpin.core import clock
from sanpin.core.errors import ValidationFailed


@register("featured_county_quality_test")
def county_quality_test(*, application, step, actor, data):
    """The county passes the application on only with the lab's quality test report uploaded
    (a 检验报告 material). Records which report it relied on."""
    reports = list(application.attachments.filter(kind=AttachmentKind.TEST_REPORT).order_by("uploaded_at"))
    if not reports:
        raise ValidationFailed(_("尚未上传品质检测报告，不能报送"),
                               fields={"attachments": _("请先上传检测机构出具的品质检测报告（检验报告）")})
    report = reports[-1]
    return {"quality_test_report": {"filename": report.filename, "sha256": report.sha256,
                                    "recorded_on": clock.today().isoformat()}}


@register("featured_publicity_over")
def publicity_over(*, application, step, actor, data):
    """The listing follows only on or after the last day of the publicity period (公示期), which
    is the step's due date: deciding on that day keeps the step on time (decision 0020)."""
    due = step.deadline.due_on if step is not None and step.deadline_id else None
    if due is not None and clock.today() < due:
        raise ValidationFailed(_("公示期至 %(due)s 止，公示期最后一日起方可登录") % {"due": due.isoformat()},
                               fields={"action": _("公示期未满")})
    return {"publicity_ended": due.isoformat() if due else ""}
