"""Reads of 合格证: by code (one partition), the caller's lists (keyset pagination), the chain back
to every source, the status of the linked mark (三码合一) and the public scan answer."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanpin.catalog.models import Entity
from sanpin.core import keyset as keyset_pages

from . import codes
from .models import ComplianceCertificate, SourceLink

VALID, FORGED, NOT_FOUND, VOIDED = "valid", "forged", "not_found", "voided"
MAX_DEPTH = 12
MAX_NODES = 500
PAGE = 50


def by_code(code: str) -> ComplianceCertificate | None:
    """The certificate with `code`, or None (a malformed code is never looked up). The month in
    the code bounds `issued_at`, so PostgreSQL reads one partition."""
    if not codes.well_formed(code):
        return None
    start, end = codes.month_range(code)
    return (ComplianceCertificate.objects.select_related("issuer", "region")
            .filter(code=code, issued_at__gte=start, issued_at__lt=end).first())


def scoped_by_code(user, code: str, action: str = "view") -> ComplianceCertificate | None:
    if not codes.well_formed(code):
        return None
    start, end = codes.month_range(code)
    return (ComplianceCertificate.objects.restrict(user, action).select_related("issuer", "region")
            .filter(code=code, issued_at__gte=start, issued_at__lt=end).first())


# Keyset pagination ---------------------------------------------------------------------------

LIST_ORDER = keyset_pages.SortKey(("-issued_at", "-id"))


def keyset(queryset, after: str = "", size: int = PAGE, before: str = "") -> keyset_pages.KeysetPage:
    """Newest first by (issued_at, id): the page after (or before) an opaque cursor from a
    neighbouring page, read through the (issuer, issued_at, id) and (issued_at, id) indexes. No
    COUNT(*): the table holds hundreds of millions of rows. An unreadable cursor starts from the
    top."""
    return keyset_pages.seek(queryset, LIST_ORDER, after=after, before=before, size=size)


def issued_by_caller(user):
    """The certificates the caller may see: its own organisation's (issuer) or, for staff, those
    issued in its region."""
    return ComplianceCertificate.objects.restrict(user, "view").select_related("issuer")


# The chain -----------------------------------------------------------------------------------

@dataclass
class Chain:
    """The graph back to every source: nodes by id (with their depth), edges (certificate id,
    source id, quantity), the producers (nodes without sources) and whether the walk stopped at
    its bounds."""

    nodes: dict = field(default_factory=dict)
    depth: dict = field(default_factory=dict)
    edges: list = field(default_factory=list)
    truncated: bool = False

    @property
    def sources(self) -> list:
        """Every certificate upstream of the root, nearest first."""
        return sorted((n for pk, n in self.nodes.items() if self.depth[pk] > 0),
                      key=lambda n: (self.depth[n.pk], n.pk))

    @property
    def producers(self) -> list:
        cited = {edge[0] for edge in self.edges}
        return [n for n in self.sources if n.pk not in cited]


def _level(frontier: list) -> list:
    """One query: the sources of the certificates in `frontier` with the quantity taken, joined on
    (id, issued_at) so that each source is read from its own partition."""
    cert = ComplianceCertificate._meta.db_table
    link = SourceLink._meta.db_table
    slots = ", ".join(["%s"] * len(frontier))
    # Table names from the models; the ids are parameters.
    sql = (f"SELECT c.*, l.certificate_id AS link_certificate_id, l.quantity AS link_quantity "  # noqa: S608
           f"FROM {link} l JOIN {cert} c ON c.id = l.source_id AND c.issued_at = l.source_issued_at "
           f"WHERE l.certificate_id IN ({slots}) ORDER BY l.id")
    return list(ComplianceCertificate.objects.raw(sql, [node.pk for node in frontier]))


def chain(root: ComplianceCertificate, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> Chain:
    """Walk SourceLink back from `root`, level by level (one query per level), bounded in depth
    and size; a certificate reached twice is read once (the graph may merge)."""
    result = Chain(nodes={root.pk: root}, depth={root.pk: 0})
    frontier = [root] if root.is_reissue or SourceLink.objects.filter(certificate_id=root.pk).exists() else []
    level = 0
    while frontier:
        if level >= max_depth:
            result.truncated = True
            break
        level += 1
        following = []
        for source in _level(frontier):
            result.edges.append((source.link_certificate_id, source.pk, source.link_quantity))
            if source.pk in result.nodes:
                continue
            if len(result.nodes) >= max_nodes:
                result.truncated = True
                continue
            result.nodes[source.pk] = source
            result.depth[source.pk] = level
            following.append(source)
        frontier = [node for node in following if node.is_reissue]
    # The root came with its issuer (by_code's select_related): read only the sources' issuers, and
    # nothing for a certificate without sources (most scans).
    sources = [node for pk, node in result.nodes.items() if pk != root.pk]
    if sources:
        entities = Entity.objects.select_related("region").in_bulk({node.issuer_id for node in sources})
        for node in sources:
            node.issuer = entities.get(node.issuer_id)
    return result


# 三码合一: the linked mark -----------------------------------------------------------------------

@dataclass
class MarkStatus:
    number: str
    kind: str  # the scheme label, "" when not found
    status: str  # valid / expired / suspended / in_rectification / stopped / revoked / registered / not_found
    label: str
    holder: str = ""
    product: str = ""
    warning: str = ""


MARK_WARNINGS = {
    "expired": gettext_lazy("该标志证书已过有效期，产品不得再使用该标志"),
    "revoked": gettext_lazy("该标志的使用权已被取消，产品不得使用该标志"),
    "suspended": gettext_lazy("该标志证书暂停使用中"),
    "in_rectification": gettext_lazy("该标志证书正在整改"),
    "stopped": gettext_lazy("获证单位已停止使用该标志"),
}


def mark_status(number: str, today: datetime.date) -> MarkStatus | None:
    """The linked green food / organic / green-input certificate's status on `today`, or the GI
    registration's; a number in neither register warns as possible misuse."""
    if not number:
        return None
    from sanpin.certificates.choices import Scheme
    from sanpin.certificates.models import Certificate
    from sanpin.certificates.selectors import term_on
    from sanpin.gi.choices import RegistrationStatus
    from sanpin.gi.selectors import public_lookup

    certificate = term_on(Certificate.objects.select_related("holder"), number, today)
    if certificate is not None:
        status = certificate.effective_status(today)
        return MarkStatus(number, str(Scheme(certificate.scheme).label), status,
                          certificate.effective_status_label(today), certificate.holder.name,
                          certificate.product_name, str(MARK_WARNINGS.get(status, "")))
    registration = public_lookup(number)
    if registration is not None:
        revoked = registration.status == RegistrationStatus.REVOKED
        return MarkStatus(number, str(Scheme.GI.label), registration.status,
                          str(RegistrationStatus(registration.status).label), registration.holder.name,
                          registration.product_name,
                          str(_("该农产品地理标志登记已被撤销，产品不得使用该标志")) if revoked else "")
    return MarkStatus(number, "", NOT_FOUND, _("未查到"),
                      warning=_("未在证书库中查到该标志编号，请谨防冒用"))


# The public answer -----------------------------------------------------------------------------

@dataclass
class PublicAnswer:
    result: str  # valid / voided / forged / not_found
    code: str
    signature: str = codes.MISSING
    certificate: ComplianceCertificate | None = None
    marks: list = field(default_factory=list)
    chain: Chain | None = None


def mark_numbers(certificate: ComplianceCertificate, graph: Chain) -> list[str]:
    """The marks a scan shows: the certificate's own and its sources', each once, in chain order."""
    numbers = []
    for node in [certificate, *graph.sources]:
        if node.mark_number and node.mark_number not in numbers:
            numbers.append(node.mark_number)
    return numbers


def public_answer(code: str, signature_token: str, today: datetime.date) -> PublicAnswer:
    """What a scan shows. An altered code (bad check digit) or a signature that is not this
    code's is "forged"; a well-formed code not issued is "not_found"."""
    code = (code or "").strip()
    signature = codes.check(code, signature_token) if signature_token else codes.MISSING
    if signature == codes.BAD or (code and code.isdigit() and len(code) == 20 and not codes.well_formed(code)):
        return PublicAnswer(FORGED, code, signature)
    certificate = by_code(code)
    if certificate is None:
        return PublicAnswer(NOT_FOUND, code, signature)
    graph = chain(certificate)
    marks = [mark_status(number, today) for number in mark_numbers(certificate, graph)]
    result = VOIDED if certificate.status == "voided" else VALID
    return PublicAnswer(result, code, signature, certificate, marks, graph)
