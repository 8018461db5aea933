"""Rules of the organic (有机农产品, 中绿华夏) review that are its own: the lab's sampling-test report
and the approval that needs a passing one, and the review flags shown while drafting and to
reviewers (docs/decisions/0019-organic-scheme.md):

- annual crops drafted less than one month before sowing [002 §4(1)];
- transfers from another certifier, due four months before the other certificate expires [002 §4(1)];
- re-certification applied for later than three months before expiry (accepted, flagged), or after
  expiry (processed as a new application, engine._late_renewal_as_initial) [002 §4(2), SPEC §10].
"""

import calendar
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.core import clock
from sanpin.core.errors import Conflict, ValidationFailed

from .choices import ApplicationKind
from .effects import register as effect
from .warnings import register as warning

SOWING_LEAD_MONTHS = 1  # annual crops: materials "尽量在播种前一个月提交" [002 §4(1)]
TRANSFER_LEAD_MONTHS = 4  # transfers: "需在证书到期前4个月按首次认证清单提交申报材料" [002 §4(1)]


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (or the last day of that month)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _day_of_filing(application) -> date:
    """Submitted: the day of submission (the flag does not change afterwards); a draft: today."""
    if application.submitted_at:
        return timezone.localdate(application.submitted_at)
    return clock.today()


def _date(application, key) -> date | None:
    value = application.data.get(key)
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


# --- effects ----------------------------------------------------------------------------------------


def _lab_assignment(step, lab_id):
    return step.assignments.filter(role="lab", lab_id=lab_id).first()


@effect("organic_test_report")
def organic_test_report(*, application, step, actor, data):
    """The designated lab reports on the samples taken at the site inspection; the conclusion is
    kept on its assignment for the certification decision."""
    assignment = _lab_assignment(step, actor.entity_id)
    if "conclusion" in assignment.details:
        raise Conflict(_("检测报告已提交"))
    conclusion = "pass" if data.favourable else "fail"
    assignment.details = {**assignment.details, "conclusion": conclusion, "report": data.opinion,
                          "at": clock.now().isoformat()}
    assignment.save(update_fields=["details"])
    return {"test_conclusion": conclusion, "tests": assignment.details.get("tests", [])}


def latest_test_conclusion(application) -> str | None:
    """The conclusion of the last sampling-test report ("pass"/"fail"), None without one."""
    from .models import Assignment

    assignment = (Assignment.objects.filter(step__application=application, step__code="sampling_test", role="lab",
                                            details__has_key="conclusion")
                  .order_by("-step__started_at", "-pk").first())
    return assignment.details["conclusion"] if assignment else None


@effect("require_passing_test")
def require_passing_test(*, application, step, actor, data):
    """A certificate needs a passing test of the samples; a failing one leads to refusal."""
    conclusion = latest_test_conclusion(application)
    if conclusion is None:
        raise ValidationFailed(_("尚无样品检测报告，不能作出认证决定"),
                               fields={"action": _("请等待检测机构提交检测报告")})
    if conclusion != "pass":
        raise ValidationFailed(_("样品检测不合格，不能批准认证"), fields={"action": _("请作出不予认证的决定")})
    return {"test_conclusion": conclusion}


# --- review flags -------------------------------------------------------------------------------------


@warning("organic_annual_crop_sowing")
def annual_crop_sowing(application) -> list[str]:
    """Annual crops: the materials should come at least one month before sowing [002 §4(1)]."""
    if application.kind != ApplicationKind.INITIAL or not application.data.get("annual_crop"):
        return []
    sowing = _date(application, "planned_sowing_date")
    if sowing is None:
        return [_("一年生作物申请有机认证：请填写计划播种日期，申报材料应尽量在播种前一个月提交 [002 §4(1)]")]
    line = months_before(sowing, SOWING_LEAD_MONTHS)
    filed = _day_of_filing(application)
    if filed <= line:
        return []
    return [_("一年生作物计划于 %(sowing)s 播种，申报材料应尽量在播种前一个月（%(line)s 前）提交；"
              "现已不足一个月，现场检查可能错过生产季节 [002 §4(1)]")
            % {"sowing": sowing.isoformat(), "line": line.isoformat()}]


@warning("organic_transfer_deadline")
def transfer_deadline(application) -> list[str]:
    """Transfers from another certifier submit the initial-certification list four months before
    the other certificate expires [002 §4(1)]."""
    if application.kind != ApplicationKind.INITIAL or not application.data.get("transfer_from_other_certifier"):
        return []
    expiry = _date(application, "other_certificate_valid_until")
    if expiry is None:
        return [_("从其他认证机构转入：请填写原证书有效期至，"
                  "须在原证书到期前4个月按首次认证清单提交申报材料 [002 §4(1)]")]
    line = months_before(expiry, TRANSFER_LEAD_MONTHS)
    filed = _day_of_filing(application)
    if filed <= line:
        return []
    other = application.data.get("other_certifier") or _("原认证机构")
    if filed > expiry:
        return [_("从%(other)s转入：原证书已于 %(expiry)s 到期，认证不能连续，按新申请办理 [002 §4(1)]")
                % {"other": other, "expiry": expiry.isoformat()}]
    return [_("从%(other)s转入：原证书 %(expiry)s 到期，应在到期前4个月（%(line)s 前）按首次认证清单提交申报材料；"
              "现已逾期，到期前可能无法完成认证 [002 §4(1)]")
            % {"other": other, "expiry": expiry.isoformat(), "line": line.isoformat()}]


@warning("organic_renewal_timing")
def renewal_timing(application) -> list[str]:
    """Re-certification later than three months before expiry: accepted and flagged; after expiry:
    processed as a new application, with no continuity [002 §4(2), SPEC §10]."""
    from .schemes import scheme_config

    if application.data.get("late_renewal_of"):
        return [_("原证书 %(number)s 到期后才提交再认证，已按新申请办理，与原证书不连续 [002 §4(2)]")
                % {"number": application.data["late_renewal_of"]}]
    if application.kind != ApplicationKind.RENEWAL or application.certificate is None:
        return []
    valid_until = application.certificate.valid_until
    latest = scheme_config(application.scheme).renewal_latest_day(valid_until)
    filed = _day_of_filing(application)
    if filed <= latest:
        return []
    if application.submitted_at is None and filed > valid_until:
        return [_("证书已于 %(until)s 到期：现在提交将按新申请办理，获得新的证书编号，与原证书不连续 [002 §4(2)]")
                % {"until": valid_until.isoformat()}]
    return [_("再认证申请应在证书有效期满前3个月（%(latest)s 前）提出；本申请%(when)s %(filed)s，已晚于该日期，"
              "予以受理但标记为逾期提出，请抓紧安排现场检查，证书到期（%(until)s）前未完成的将出现证书空档")
            % {"latest": latest.isoformat(), "when": _("提交于") if application.submitted_at else _("起草于"),
               "filed": filed.isoformat(), "until": valid_until.isoformat()}]
