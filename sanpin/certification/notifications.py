"""Who is told what as an application moves: the people responsible for the step it enters,
and the people assigned to a task. Messages leave after commit (sanpin.notifications)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sanpin.accounts.choices import AgencyLevel, Role
from sanpin.accounts.models import User

from .choices import Level


def recipients_for_level(application, level) -> list:
    province = application.entity.region_id[:2] + "0000"
    users = User.objects.filter(is_active=True)
    if level == Level.PROVINCE:
        users = users.filter(role_assignments__role=Role.PROVINCIAL_REVIEWER, agency__region_id=province)
    elif level in (Level.CITY, Level.COUNTY):  # the city or county bureau over the applicant
        region = application.entity.region_id
        users = users.filter(role_assignments__role=Role.LOCAL_STAFF, agency__level=level,
                             agency__region_id=region[:4] + "00" if level == Level.CITY else region)
    elif level in (Level.NATIONAL, Level.EXPERT, Level.LAB):  # the national body assigns experts and labs
        users = users.filter(role_assignments__role=Role.NATIONAL_REVIEWER, agency__level=AgencyLevel.NATIONAL)
    elif level == Level.APPLICANT:
        users = users.filter(role_assignments__role=Role.APPLICANT, entity_id=application.entity_id)
    else:
        return []
    return list(users.distinct())


def _url(application) -> str:
    return reverse("certification:detail", args=[application.pk])


def application_url(application_id) -> str:
    return reverse("certification:detail", args=[application_id])


def _send(recipients, title, body, url):
    from sanpin.notifications.services import notify

    if recipients:
        notify(recipients=recipients, title=title, body=body, url=url)


def notify_step_opened(application, step, spec) -> None:
    due = f"，办理时限至 {step.deadline.due_on:%Y-%m-%d}" if step.deadline_id else ""
    title = _("%(number)s 进入“%(step)s”") % {"number": application.number, "step": spec.name}
    body = _("%(entity)s 的申请 %(number)s 已进入“%(step)s”环节%(due)s。") % {
        "entity": application.entity.name, "number": application.number, "step": spec.name, "due": due}
    recipients = set(recipients_for_level(application, spec.level))
    recipients |= set(recipients_for_level(application, Level.APPLICANT))
    _send(list(recipients), title, body, _url(application))


def notify_assigned(application, users, task) -> None:
    title = _("新的%(task)s：%(number)s") % {"task": task, "number": application.number}
    body = _("您被指派办理 %(entity)s 的申请 %(number)s 的%(task)s。") % {
        "entity": application.entity.name, "number": application.number, "task": task}
    _send(list(users), title, body, _url(application))
