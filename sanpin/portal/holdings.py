"""Everything one entity holds across schemes — applications, certificates of every scheme, GI
registrations and GAP certificates — each list cut to what the viewer may see.

Lives in portal because portal may depend on every domain app; catalog's entity page asks for it
lazily so that catalog keeps depending on nothing above it.
"""

from dataclasses import dataclass, field

from sanpin.certificates.models import Certificate
from sanpin.certification.models import Application
from sanpin.core import clock
from sanpin.core.access import can
from sanpin.gap.models import GAPCertificate
from sanpin.gi.models import GIRegistration

LIMIT = 200


@dataclass
class Holdings:
    """One entity's holdings as rows ready to render; a list is None when the viewer's role may not
    see that kind of record at all (the section is then left out)."""

    applications: list | None = None
    certificates: list | None = None
    gi_registrations: list | None = None
    gap_certificates: list | None = None
    counts: dict = field(default_factory=dict)


def entity_holdings(user, entity) -> Holdings:
    today = clock.today()
    result = Holdings()
    if can(user, "view", Application):
        rows = (Application.objects.restrict(user, "view").filter(entity=entity)
                .order_by("-created_at", "-pk").distinct()[:LIMIT])
        result.applications = [(a, a.state_label()) for a in rows]
    if can(user, "view", Certificate):
        rows = (Certificate.objects.restrict(user, "view").filter(holder=entity)
                .order_by("scheme", "number", "-valid_from")[:LIMIT])
        result.certificates = [(c, c.effective_status(today), c.effective_status_label(today)) for c in rows]
    if can(user, "view", GIRegistration):
        result.gi_registrations = list(GIRegistration.objects.restrict(user, "view").filter(holder=entity)
                                       .order_by("number")[:LIMIT])
    if can(user, "view", GAPCertificate):
        rows = GAPCertificate.objects.restrict(user, "view").filter(holder=entity).order_by("-valid_from", "pk")
        result.gap_certificates = [(g, g.effective_status(today), g.effective_status_label(today))
                                   for g in rows[:LIMIT]]
    result.counts = {
        name: len(getattr(result, name)) for name in
        ("applications", "certificates", "gi_registrations", "gap_certificates") if getattr(result, name) is not None
    }
    return result
