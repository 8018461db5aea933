"""The application as the API shows it (the same data the detail page renders)."""

from django.core.exceptions import ValidationError

from sanpin.core.errors import DomainError

from .. import effects
from ..choices import DRAFT
from ..engine import current_step
from ..selectors import application_detail, step_clock


def _step(step, spec, clock):
    return {
        "code": step.code,
        "name": str(spec.name) if spec else step.code,
        "level": spec.level if spec else "",
        "time_limit_wd": spec.time_limit_wd if spec else None,
        "started_at": step.started_at,
        "finished_at": step.finished_at,
        "outcome": step.outcome,
        "deadline": clock.due_on,
        "clock": clock.__dict__,
        "assignees": [
            {"role": a.role, "user": a.user.get_username() if a.user_id else None,
             "lab": a.lab.name if a.lab_id else None,
             "submitted": "report" in a.details or "favourable" in a.details}
            for a in step.assignments.all()
        ],
    }


def warnings_for(application) -> list[str]:
    """While drafting: what still keeps the application from being submitted."""
    if application.state != DRAFT:
        return []
    try:
        effects.check_ready_to_submit(application, application_detail(application)["config"])
    except (DomainError, ValidationError) as exc:
        return [m for messages in getattr(exc, "fields", {}).values() for m in messages]
    return []


def application_payload(application) -> dict:
    detail = application_detail(application)
    config = detail["config"]
    current = current_step(application)
    current_payload = _step(current, config.steps.get(current.code), step_clock(current)) if current else None
    paused = application.steps.filter(finished_at__isnull=True, paused_at__isnull=False).exists()
    return {
        "id": application.pk,
        "number": application.number,
        "scheme": application.scheme,
        "kind": application.kind,
        "entity": {"id": application.entity_id, "name": application.entity.name},
        "certificate": application.certificate.number if application.certificate_id else None,
        "state": application.state,
        "state_label": application.state_label(),
        "submitted_at": application.submitted_at,
        "closed_at": application.closed_at,
        "current_step": current_payload,
        "deadline": current_payload["deadline"] if current_payload else None,
        "clock_paused": paused,
        "review_flags": detail["review_flags"],
        "data": application.data,
        "products": [
            {"name": p.name, "category": p.category, "trademark": p.trademark,
             "approved_output": str(p.approved_output), "output_unit": p.output_unit,
             "registration_no": p.registration_no, "certificate": p.certificate.number if p.certificate_id else None}
            for p in detail["products"]
        ],
        "inputs": [
            {"id": i.pk, "kind": i.kind, "kind_label": i.get_kind_display(), "name": i.name, "crop": i.crop,
             "product": i.product.name if i.product_id else None, "dosage": i.dosage, "note": i.note}
            for i in detail["declared_inputs"]
        ],
        "fees": [
            {"item": f.item, "label": f.get_item_display(), "quantity": f.quantity,
             "unit_amount": str(f.unit_amount), "gross_amount": str(f.gross_amount),
             "waived_amount": str(f.waived_amount), "waiver_reason": f.waiver_reason,
             "amount_due": str(f.amount_due), "assessed_on": f.assessed_on, "paid_at": f.paid_at}
            for f in detail["fees"]
        ],
        "warnings": warnings_for(application),
        "attachments": [
            {"id": a.pk, "kind": a.kind, "filename": a.filename, "size": a.size, "content_type": a.content_type,
             "uploaded_at": a.uploaded_at}
            for a in detail["attachments"]
        ],
        "notices": [{"kind": n.kind, "reasons": n.reasons, "issued_at": n.issued_at} for n in detail["notices"]],
        "steps": [_step(s, spec, clock) for s, spec, clock in detail["steps"]],
        "history": [
            {"at": e.at, "action": e.action, "from_state": e.from_state, "to_state": e.to_state,
             "actor": str(e.actor), "opinion": e.opinion, "details": e.details}
            for e in detail["events"]
        ],
    }


def application_summary(application, open_steps) -> dict:
    """One row of the list: no history, steps or materials (those are on the detail)."""
    current = next((s for s in open_steps if s.code == application.state and s.paused_at is None), None)
    clock = step_clock(current) if current else None
    return {
        "id": application.pk,
        "number": application.number,
        "scheme": application.scheme,
        "kind": application.kind,
        "entity": {"id": application.entity_id, "name": application.entity.name},
        "certificate": application.certificate.number if application.certificate_id else None,
        "state": application.state,
        "state_label": application.state_label(),
        "submitted_at": application.submitted_at,
        "closed_at": application.closed_at,
        "deadline": clock.due_on if clock else None,
        "days_left": clock.days_left if clock else None,
        "overdue": clock.overdue if clock else False,
    }
