"""What a grade does to an application ("申报+信用", SPEC §7): the rulebook's effects turned into
the applicant standing the review engine asks for (sanpin.certification.policies).

The rulebook in force on the day asked for decides (a new version changes effects only from its
effective date), with these rules (version 1's values in brackets):

- site_inspection_grades [D]: an applicant whose grade on the day of submission is one of these
  gets a credit site inspection (信用核查现场检查) before the scheme's first step, for initial and
  renewal applications alike;
- block_new_applications [below 40, 365 days]: an entity whose score is below the line may not
  create a new initial application for `days` days counted from its most recent negative event (a
  kind with a negative weight in that version), that day included; renewals remain possible and
  get the inspection. An entity below the line with no negative event is not barred (nothing to
  count from);
- renewal_inspection_waiver [A, 3 years]: an applicant whose grade is one of these and who has no
  negative event in the last `clean_years` years may have a renewal's site inspection waived where
  the scheme allows it (its extra["renewal_inspection_waivable"]).

The engine never imports this module: CreditConfig.ready registers `standing` as a provider."""

import datetime

from django.db.models import Max
from django.utils.translation import gettext as _

from sanpin.certification.policies import ApplicantStanding, register_standing_provider
from sanpin.core.dates import add_months

from . import rulebook as rulebooks
from . import scoring
from .models import CreditEvent

PROVIDER = "credit"


def _negative_kinds(rulebook) -> list[str]:
    return [kind for kind, points in (rulebook.weights or {}).items() if points < 0]


def standing(entity, on: datetime.date) -> ApplicantStanding:
    """The entity's grade on `on` and what the rulebook in force that day makes of it."""
    rulebook = rulebooks.in_force(on)
    result = scoring.score(entity, on=on, rulebook=rulebook)
    effects = rulebook.effects or {}
    negative = CreditEvent.objects.filter(entity=entity, occurred_on__lte=on, kind__in=_negative_kinds(rulebook))
    facts = {"grade": result.grade, "score": result.score, "version": rulebook.version}

    inspection = result.grade in (effects.get("site_inspection_grades") or ())

    blocked_until, blocked_reason = None, ""
    block = effects.get("block_new_applications") or {}
    if block and result.score < block["below_score"]:
        latest = negative.aggregate(day=Max("occurred_on"))["day"]
        if latest is not None and block["days"] > 0:
            last_day = latest + datetime.timedelta(days=block["days"] - 1)
            if on <= last_day:
                blocked_until = last_day
                blocked_reason = _(
                    "信用评价得分 %(score)s 低于 %(line)s（严重失信），自 %(since)s 起 %(days)s 日内（至 %(until)s）"
                    "不得提出新的申请") % {"score": result.score, "line": block["below_score"],
                                      "since": latest.isoformat(), "days": block["days"], "until": last_day.isoformat()}

    waivable = False
    waiver = effects.get("renewal_inspection_waiver") or {}
    if waiver and result.grade in waiver.get("grades", ()):
        since = add_months(on, -12 * int(waiver["clean_years"]))
        waivable = not negative.filter(occurred_on__gt=since).exists()

    if blocked_until:
        explanation = blocked_reason
    else:
        explanation = _("信用等级 %(grade)s（信用分 %(score)s，信用评价规则第 %(version)s 版）") % facts
        if inspection:
            explanation += _("：须先进行信用核查现场检查")
        elif waivable:
            explanation += _("：%(years)s 年内无不良信用记录，续展可免现场检查（以认证类型规定为准）") % {
                "years": waiver["clean_years"]}
    return ApplicantStanding(
        grade=result.grade, score=result.score, rulebook_version=rulebook.version, on=on,
        site_inspection_required=inspection, blocked_until=blocked_until, blocked_reason=blocked_reason,
        renewal_inspection_waivable=waivable, explanation=explanation)


def register() -> None:
    register_standing_provider(PROVIDER, standing)
