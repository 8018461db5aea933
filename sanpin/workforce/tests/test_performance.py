"""Yearly performance [001 §21] against a hand-computed fixture, and scope isolation.

Inspector gx_a in 2026 (report times are local, Asia/Shanghai):
  site inspections (certification Assignment role "inspector"):
    1 assigned 03-02, due 03-20, reported 03-20 23:30, passed            → done, on time
    2 assigned 04-01, due 04-10, reported 04-11 00:30 (04-10 16:30 UTC), rectification ordered
                                                                          → done, late, finding
    3 assigned 05-01, no time limit, reported 06-01, failed              → done, on time, finding
    4 assigned 06-01, due 06-20, no report                               → assigned only
    5 assigned 2025-12-30 (last year), reported                          → not counted
  → assigned 4, done 3, on time 2, findings 2
  annual inspections (sanpin.inspections): plan 2026 inspected 05-10 pass (on time), plan 2026
  inspected 2027-01-05 rectify (late, finding), plan 2025 inspected 2026-01-10 (not 2026's)
  → done 2, on time 1, findings 1
  totals: done 5, on time 3, findings 3; training in 2026: 2 courses, 8 + 16.5 = 24.5 hours
Expert e1 in 2026: drawn onto 2 panels (a third draw was in 2025); served 3 steps; opinions 2,
one by the due date, one after → drawn 2, served 3, opinions 2, on time 1.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from sanpin.accounts.choices import ExpertSpecialty, Role
from sanpin.accounts.models import ExpertDraw, ExpertProfile
from sanpin.accounts.tests.factories import UserFactory
from sanpin.catalog.tests.factories import EntityFactory
from sanpin.certification.models import Application, Assignment, Event, Step
from sanpin.core.models import Deadline
from sanpin.inspections.models import AnnualInspectionPlan, InspectionRecord, PlanItem
from sanpin.workforce import performance, selectors
from sanpin.workforce.models import TrainingRecord

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class World:
    def __init__(self, users, regions, people, gx_entity):
        self.users, self.regions, self.people, self.entity = users, regions, people, gx_entity
        self.app = Application.objects.create(scheme="green_food", kind="initial", entity=gx_entity,
                                              number="GF-TEST-1", created_by=users["gx_applicant"])

    def step(self, code, *, due=None, outcome=""):
        deadline = Deadline.objects.create(purpose="t", start=D(2026, 1, 1), working_days=10, due_on=due) if due \
            else None
        return Step.objects.create(application=self.app, code=code, started_at=at(D(2026, 1, 1)), deadline=deadline,
                                   outcome=outcome, finished_at=at(D(2026, 12, 1)) if outcome else None)

    def assign(self, user, role, *, assigned, due=None, outcome="", done_at=None, action="", key=""):
        step = self.step("site_inspection" if role == "inspector" else "expert_review", due=due, outcome=outcome)
        details = {key: True} if done_at else {}
        assignment = Assignment.objects.create(step=step, user=user, role=role, details=details)
        Assignment.objects.filter(pk=assignment.pk).update(created_at=at(assigned))
        if done_at:
            Event.objects.create(application=self.app, step=step, action=action, from_state=step.code,
                                 to_state=step.code, actor=user, at=done_at)
        # noise: the province acting on the same step never counts as the assignee's report
        Event.objects.create(application=self.app, step=step, action=action or "pass", from_state=step.code,
                             to_state="x", actor=self.users["gx_province"], at=at(D(2026, 1, 2)))
        return assignment

    def inspection(self, inspector, *, plan_year, inspected_on, conclusion):
        plan, _ = AnnualInspectionPlan.objects.get_or_create(
            province=self.regions["450000"], year=plan_year,
            defaults={"schemes": ["green_food"], "basis_date": D(plan_year, 1, 1),
                      "last_generated_on": D(plan_year, 1, 1), "created_by": self.users["gx_province"]})
        holder = EntityFactory(region=self.regions["450102"])
        item = PlanItem.objects.create(plan=plan, entity=holder, added_on=D(plan_year, 1, 1), inspector=inspector)
        return InspectionRecord.objects.create(
            number=f"NJ-{InspectionRecord.objects.count() + 1}", item=item, inspector=inspector,
            inspected_on=inspected_on, findings="", conclusion=conclusion, recorded_by=self.users["gx_province"])


@pytest.fixture
def world(users, regions, people, gx_entity):
    w = World(users, regions, people, gx_entity)
    a = people["gx_a"]
    report = dict(role="inspector", action="submit_inspection_report", key="report")
    w.assign(a, assigned=D(2026, 3, 2), due=D(2026, 3, 20), outcome="pass", done_at=at(D(2026, 3, 20), 23, 30),
             **report)
    w.assign(a, assigned=D(2026, 4, 1), due=D(2026, 4, 10), outcome="order_rectification",
             done_at=at(D(2026, 4, 11), 0, 30), **report)
    w.assign(a, assigned=D(2026, 5, 1), outcome="fail", done_at=at(D(2026, 6, 1)), **report)
    w.assign(a, assigned=D(2026, 6, 1), due=D(2026, 6, 20), **report)
    w.assign(a, assigned=D(2025, 12, 30), due=D(2026, 1, 15), outcome="pass", done_at=at(D(2026, 1, 5)), **report)
    w.inspection(a, plan_year=2026, inspected_on=D(2026, 5, 10), conclusion="pass")
    w.inspection(a, plan_year=2026, inspected_on=D(2027, 1, 5), conclusion="rectify")
    w.inspection(a, plan_year=2025, inspected_on=D(2026, 1, 10), conclusion="fail")
    for course, start, end, hours in (("绿色食品检查员培训班", D(2026, 3, 1), D(2026, 3, 2), "8"),
                                      ("现场检查技能提高班", D(2026, 9, 1), D(2026, 9, 3), "16.5"),
                                      ("旧培训", D(2025, 5, 1), D(2025, 5, 2), "12")):
        TrainingRecord.objects.create(person=a, province=regions["450000"], course=course, organiser="中心",
                                      started_on=start, ended_on=end, hours=Decimal(hours),
                                      recorded_by=users["gx_province"])
    # experts
    e1 = UserFactory(username="e1", display_name="专家甲", roles=[Role.EXPERT])
    ExpertProfile.objects.create(user=e1, specialties=[ExpertSpecialty.CROPS], region=regions["450102"])
    e2 = UserFactory(username="e2", display_name="专家乙", roles=[Role.EXPERT])
    ExpertProfile.objects.create(user=e2, specialties=[ExpertSpecialty.CROPS], region=regions["310101"])
    for when, picked in ((D(2026, 2, 1), [e1.pk, e2.pk]), (D(2026, 7, 1), [e2.pk, e1.pk]), (D(2025, 7, 1), [e1.pk])):
        draw = ExpertDraw.objects.create(actor=users["national"], subject_label="x", specialty="crops",
                                         size=len(picked), seed=1, candidate_ids=picked, picked_ids=picked)
        ExpertDraw.objects.filter(pk=draw.pk).update(created_at=at(when))
    opinion = dict(role="expert", action="submit_expert_opinion", key="favourable")
    w.assign(e1, assigned=D(2026, 7, 1), due=D(2026, 7, 10), done_at=at(D(2026, 7, 9)), **opinion)
    w.assign(e1, assigned=D(2026, 7, 20), due=D(2026, 8, 1), done_at=at(D(2026, 8, 5)), **opinion)
    w.assign(e1, assigned=D(2026, 9, 1), due=D(2026, 9, 20), **opinion)
    w.e1, w.e2 = e1, e2
    return w


def test_expert_opinion_and_report_actions_are_found_in_the_scheme_configs():
    assert "submit_inspection_report" in performance._actions_with_effect("inspection_report")
    assert performance._actions_with_effect("expert_opinion") == ["submit_expert_opinion"]


def test_inspector_figures_match_the_hand_computed_fixture(world, users, django_assert_max_num_queries):
    a = world.people["gx_a"]
    with django_assert_max_num_queries(4):
        [row] = performance.inspector_years([a], 2026, selectors.trainings(users["national"]))
    assert (row.site_assigned, row.site_done, row.site_on_time, row.site_findings) == (4, 3, 2, 2)
    assert (row.annual_done, row.annual_on_time, row.annual_findings) == (2, 1, 1)
    assert (row.done, row.on_time, row.findings) == (5, 3, 3)
    assert row.on_time_rate == Decimal("60.0")
    assert (row.training_courses, row.training_hours) == (2, Decimal("24.5"))
    [last_year] = performance.inspector_years([a], 2025, selectors.trainings(users["national"]))
    assert (last_year.site_assigned, last_year.site_done, last_year.site_on_time) == (1, 1, 1)
    assert (last_year.annual_done, last_year.annual_findings, last_year.training_hours) == (1, 1, Decimal("12"))
    [idle] = performance.inspector_years([world.people["gx_b"]], 2026, selectors.trainings(users["national"]))
    assert (idle.done, idle.on_time_rate, idle.training_hours) == (0, None, Decimal("0"))


def test_expert_figures_match_the_hand_computed_fixture(world):
    e1, e2 = performance.expert_years([world.e1, world.e2], 2026)
    assert (e1.drawn, e1.served, e1.opinions, e1.on_time) == (2, 3, 2, 1)
    assert (e2.drawn, e2.served, e2.opinions, e2.on_time) == (2, 0, 0, 0)


def test_provincial_staff_see_only_their_provinces_people(world, users):
    names = lambda rows: sorted(u.username for u in rows)  # noqa: E731
    assert names(selectors.people(users["national"])) == ["gx_a", "gx_b", "gx_internal", "sh_c"]
    assert names(selectors.people(users["gx_province"])) == ["gx_a", "gx_b", "gx_internal"]
    assert names(selectors.people(users["sh_province"])) == ["sh_c"]
    assert names(selectors.people(users["gx_province"], group="supervisor")) == ["gx_b"]
    assert names(selectors.people(users["gx_province"], group="internal")) == ["gx_internal"]
    assert names(selectors.people(users["gx_province"], q="GF-45")) == ["gx_a"]
    for outsider in ("nn_city", "inspector", "expert", "gx_applicant"):
        assert not selectors.people(users[outsider]).exists()
    assert [p.user.username for p in selectors.experts(users["gx_province"])] == ["e1"]
    assert [p.user.username for p in selectors.experts(users["sh_province"])] == ["e2"]
    assert {p.user.username for p in selectors.experts(users["national"])} == {"e1", "e2"}
    # training hours are only those the caller may see
    [row] = performance.inspector_years([world.people["gx_a"]], 2026, selectors.trainings(users["sh_province"]))
    assert row.training_hours == 0
