"""Procedures and sheets: the transition table walked whole, the publish guard, corrections only
while drafting, and region scope."""

import datetime

import pytest

from sanpin.core.errors import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.models import AuditEvent
from sanpin.knowledge import services, transitions
from sanpin.knowledge.choices import ProcedureStatus
from sanpin.knowledge.models import Procedure

from .conftest import make_procedure, pdf

pytestmark = pytest.mark.django_db


def in_status(actor, region, status):
    procedure = make_procedure(actor, region, title=f"规程-{status}", publish=False)
    path = {ProcedureStatus.DRAFT: [], ProcedureStatus.PUBLISHED: ["publish"],
            ProcedureStatus.RETIRED: ["publish", "retire"]}[status]
    for action in path:
        procedure = services.procedure_transition(actor=actor, procedure=procedure, action=action, reason="新版本")
    assert procedure.status == status
    return procedure


@pytest.mark.parametrize("status", ProcedureStatus.values)
@pytest.mark.parametrize("action", sorted(transitions.ACTIONS))
def test_the_transition_table_is_walked_and_nothing_else_is_allowed(users, regions, today, status, action):
    actor = users["gx_province"]
    procedure = in_status(actor, regions["450000"], status)
    rule = transitions.find(action, status)
    before = AuditEvent.objects.count()
    if rule is None:
        with pytest.raises(TransitionNotAllowed):
            services.procedure_transition(actor=actor, procedure=procedure, action=action, reason="理由")
        procedure.refresh_from_db()
        assert procedure.status == status and AuditEvent.objects.count() == before
    else:
        moved = services.procedure_transition(actor=actor, procedure=procedure, action=action, reason="理由")
        assert moved.status == rule.target
        event = AuditEvent.objects.get(verb=f"knowledge.procedure.{action}", target_id=str(procedure.pk))
        assert event.old == {"status": status} and event.new == {"status": rule.target}


def test_a_document_is_published_only_with_its_file_and_issue_date(users, regions, today):
    actor = users["gx_province"]
    procedure = make_procedure(actor, regions["450000"], publish=False, upload=False, issued_on=None)
    with pytest.raises(ValidationFailed) as err:
        services.procedure_transition(actor=actor, procedure=procedure, action="publish")
    assert set(err.value.fields) == {"file", "issued_on"}
    procedure.refresh_from_db()
    assert procedure.status == "draft"


def test_retiring_needs_a_reason(users, regions, today):
    procedure = make_procedure(users["gx_province"], regions["450000"])
    with pytest.raises(ValidationFailed) as err:
        services.procedure_transition(actor=users["gx_province"], procedure=procedure, action="retire", reason=" ")
    assert "reason" in err.value.fields


def test_only_a_draft_is_corrected(users, regions, today):
    procedure = make_procedure(users["gx_province"], regions["450000"])
    with pytest.raises(Conflict):
        services.procedure_update(actor=users["gx_province"], procedure=procedure, title="改名", kind="procedure",
                                  product="沃柑", product_field="crops", region=regions["450000"],
                                  issuing_agency="广西绿色食品发展站", version="第2版")


def test_staff_file_documents_only_for_their_region(users, regions, today):
    with pytest.raises(ValidationFailed) as err:
        make_procedure(users["gx_province"], regions["310000"])
    assert "region" in err.value.fields
    with pytest.raises(ValidationFailed):
        make_procedure(users["nn_city"], regions["450000"])  # the province is above a city's staff
    make_procedure(users["nn_city"], regions["450102"], title="兴宁区明白纸")
    shanghai = make_procedure(users["sh_province"], regions["310000"], title="茭白生产操作规程")
    with pytest.raises(PermissionDenied):
        services.procedure_transition(actor=users["gx_province"], procedure=shanghai, action="retire", reason="x")
    assert set(Procedure.objects.restrict(users["gx_province"], "view").values_list("title", flat=True)) == {
        "兴宁区明白纸"}


@pytest.mark.parametrize(("name", "content", "message"), [
    ("rules.pdf", b"MZ\x90\x00 not a pdf", "只接受"),
    ("rules.png", b"%PDF-1.4 pdf named png", "扩展名"),
    ("rules.pdf", b"", "不能为空"),
])
def test_files_are_accepted_by_their_content(users, regions, today, name, content, message):
    with pytest.raises(ValidationFailed) as err:
        services.procedure_create(actor=users["gx_province"], title="t", kind="sheet", product="沃柑",
                                  product_field="crops", region=regions["450000"], issuing_agency="站",
                                  issued_on=datetime.date(2026, 1, 1), version="1", upload=pdf(name, content))
    assert message in err.value.fields["file"][0]
    assert not Procedure.objects.exists()
