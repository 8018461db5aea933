"""The life of a procedure or sheet as data: action, from, to, and the guard that must hold.
Anything not in the table is refused with TransitionNotAllowed (409)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import ProcedureStatus


def _ready_to_publish(procedure) -> dict:
    """A document goes to the library with its file and its issue date."""
    errors = {}
    if not procedure.file:
        errors["file"] = _("发布前请上传文件")
    if not procedure.issued_on:
        errors["issued_on"] = _("发布前请填写发布日期")
    return errors


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    label: str
    needs_reason: bool = False
    guard: Callable | None = None


TRANSITIONS = (
    Transition("publish", ProcedureStatus.DRAFT, ProcedureStatus.PUBLISHED, _("发布"), guard=_ready_to_publish),
    Transition("retire", ProcedureStatus.PUBLISHED, ProcedureStatus.RETIRED, _("停用"), needs_reason=True),
)
ACTIONS = {t.action for t in TRANSITIONS}


def find(action: str, source: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.action == action and t.source == source), None)


def available(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status]
