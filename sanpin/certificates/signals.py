"""`certificate_changed`: sent after a certificate change has committed, so that apps above this
one (subscriptions, later supervision and credit) react without this app knowing them.

Receivers get `certificate` (the term that changed, as committed), `kind` (issued, renewed,
changed, rectification, suspended, reinstated, stopped, revoked, expired) and `key` (a stable
identity for events that must be told once, such as an expiry; None otherwise).
"""

from django.db import transaction
from django.dispatch import Signal

certificate_changed = Signal()
# Sent by `emit` inside the change's transaction, before it commits, with the same arguments (key
# None): for receivers that must write in that transaction (the traceability outbox), so that a
# rolled-back change leaves nothing behind. A receiver that raises rolls the change back.
certificate_changing = Signal()

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
    """Send once the caller's transaction commits; a rolled-back change tells nobody.
    `certificate_changing` is sent now, inside the transaction."""
    pk = certificate.pk
    certificate_changing.send(sender=type(certificate), certificate=certificate, kind=STATUS_KINDS.get(kind, kind),
                              key=None)

    def send():
        from .models import Certificate

        send_changed(Certificate.objects.select_related("holder").get(pk=pk), STATUS_KINDS.get(kind, kind))

    transaction.on_commit(send, robust=True)
