"""`certificate_changed`: sent after a certificate change has committed, so that apps above this
one (subscriptions, later supervision and credit) react without this app knowing them.

Receivers get `certificate` (the term that changed, as committed), `kind` (issued, renewed,
changed, rectification, suspended, reinstated, stopped, revoked, expired) and `key` (a stable
identity for events that must be told once, such as an expiry; None otherwise).
"""

from django.db import transaction
from django.dispatch import Signal

certificate_changed = Signal()

# Status reached → event kind told to receivers.
STATUS_KINDS = {
    "valid": "reinstated",
    "in_rectification": "rectification",
    "suspended": "suspended",
    "stopped": "stopped",
    "revoked": "revoked",
}


def send_changed(certificate, kind: str, key: str | None = None) -> None:
    """Send now; used by jobs that run outside a change transaction (the daily expiry)."""
    certificate_changed.send(sender=type(certificate), certificate=certificate, kind=kind, key=key)


def emit(certificate, kind: str) -> None:
    """Send once the caller's transaction commits; a rolled-back change tells nobody."""
    pk = certificate.pk

    def send():
        from .models import Certificate

        send_changed(Certificate.objects.select_related("holder").get(pk=pk), STATUS_KINDS.get(kind, kind))

    transaction.on_commit(send, robust=True)
