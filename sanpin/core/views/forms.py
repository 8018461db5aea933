"""Form → service → errors, written once: every form page validates, calls a service with the
cleaned data and puts a refusal back on the form. Spelt out per view that was a dozen lines of
try/except each, which drifted apart (statuses, where the message went)."""

from collections.abc import Callable
from typing import Any, NamedTuple

from django import forms

from sanpin.core.errors import DomainError, ValidationFailed


def add_service_errors(form: forms.Form, exc: ValidationFailed, rename: dict | None = None) -> None:
    """Show a service's field errors on the form's fields, the others (and a bare message) at
    the top of the form. `rename` maps a service's field name to the form's (None: the top)."""
    rename = rename or {}
    for name, messages in exc.fields.items():
        name = rename.get(name, name)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    if not exc.fields:
        form.add_error(None, exc.message)


class Outcome(NamedTuple):
    result: Any  # what the service returned; None when it did not run or refused
    status: int | None  # the status to re-render the form with; None on success

    @property
    def ok(self) -> bool:
        return self.status is None


def run_service(form: forms.Form, call: Callable[[dict], Any], *, rename: dict | None = None,
                catch: type[DomainError] = DomainError) -> Outcome:
    """Validate `form`, then `call(form.cleaned_data)`.

    Invalid input or ValidationFailed → status 400, with the service's field errors on the form
    (through the form's own `add_service_errors(exc)` where it has one, else `rename` applies).
    Another error of class `catch` → its message at the top of the form and `exc.status`
    (409 for a wrong state). Pass `catch=ValidationFailed` to let the others escape to
    sanpin.core.middleware (403/404/409 pages) instead.
    """
    if not form.is_valid():
        return Outcome(None, 400)
    try:
        return Outcome(call(form.cleaned_data), None)
    except ValidationFailed as exc:
        if hasattr(form, "add_service_errors"):
            form.add_service_errors(exc)
        else:
            add_service_errors(form, exc, rename)
        return Outcome(None, 400)
    except catch as exc:
        form.add_error(None, exc.message)
        return Outcome(None, exc.status)
