"""The life of an allowed-inputs list as data: action, from, to, and the guard that must hold.
Anything not in the table is refused with TransitionNotAllowed (409). `supersede` is taken only by
the publication of the next version of the same issuer and kind, never by a person."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import ListStatus


def _ready_to_publish(lst) -> dict:
    """A list is published with at least one input on it."""
    if not lst.inputs.exists():
        return {"inputs": _("清单中还没有任何投入品，不能发布")}
    return {}


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    label: str
    by_person: bool = True
    needs_reason: bool = False
    guard: Callable | None = None


TRANSITIONS = (
    Transition("publish", ListStatus.DRAFT, ListStatus.PUBLISHED, _("发布"), guard=_ready_to_publish),
    Transition("supersede", ListStatus.PUBLISHED, ListStatus.SUPERSEDED, _("被新版本替代"), by_person=False),
    Transition("retire", ListStatus.PUBLISHED, ListStatus.RETIRED, _("废止"), needs_reason=True),
)


def find(action: str, source: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.action == action and t.source == source), None)


def available(status: str) -> list[Transition]:
    """What a person may do to a list in `status`."""
    return [t for t in TRANSITIONS if t.source == status and t.by_person]
