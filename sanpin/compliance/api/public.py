"""The public scan answer as the API gives it, built for the hottest path of the system.

A scan costs one `UPDATE … RETURNING` on the certificate's partition (the count, and the status
and copy flag as they are now, from the primary), the copy check in one round trip to Redis, and
two cache reads: the part of the answer that never changes for a code (the certificate's fields,
the chain back to its sources, the producers) and the status of each linked mark. The first is
kept STATIC_SECONDS (a producer renamed shows within that); the marks are kept under their
numbers' change stamps (sanpin.core.public_cache), so a revoked mark shows at once. A miss reads
with plain SQL (sanpin.compliance.public_read), from the replica where that is safe
(sanpin.core.replica).
"""

from django.core.cache import cache

from sanpin.core import public_cache, replica

from .. import codes, public_read, scans, selectors
from .serializers import MarkSerializer, PublicCertificateSerializer, PublicNodeSerializer

STATIC_SECONDS = 300


def public_body(answer: selectors.PublicAnswer) -> dict:
    """The JSON body of a scan answer read through the selectors (the page's path, and a miss)."""
    certificate = None
    chain, producers, truncated = [], [], False
    if answer.certificate is not None:
        certificate = PublicCertificateSerializer(answer.certificate).data
        graph = answer.chain
        for node in graph.sources:
            node.depth = graph.depth[node.pk]
        chain = PublicNodeSerializer(graph.sources, many=True).data
        producers = [node.issuer.name for node in graph.producers]
        if not answer.certificate.is_reissue:
            producers = [answer.certificate.issuer.name]
        truncated = graph.truncated
    return {"result": answer.result, "code": answer.code, "signature": answer.signature,
            "certificate": certificate, "marks": MarkSerializer([m for m in answer.marks if m], many=True).data,
            "chain": chain, "producers": producers, "chain_truncated": truncated}


def _static(code: str) -> dict | None:
    key = f"compliance:public:{code}"
    static = cache.get(key)
    if static is None:
        static = replica.lookup(lambda: public_read.static(code), keys=[(replica.COMPLIANCE, code)])
        if static is None:  # counted on the primary a moment ago: not on the replica yet
            with replica.primary():
                static = public_read.static(code)
        if static is not None:
            cache.set(key, static, STATIC_SECONDS)
    return static


def _marks(numbers: list[str], today) -> list[dict]:
    if not numbers:
        return []
    found, stamps = public_cache.read_many(public_cache.MARK, numbers, today)
    wanted = [number for number in numbers if number not in found]
    if wanted:
        missing = replica.lookup(lambda: public_read.marks(wanted, today),
                                 keys=[(replica.CERTIFICATE, number) for number in wanted])
        public_cache.write_many(public_cache.MARK, missing, stamps, today)
        found |= missing
    return [found[number] for number in numbers]


def scan_body(code: str, token: str, today, *, location=None, ip: str = "") -> dict:
    """Count the scan and answer it: the same body as `public_body` of the selectors' answer."""
    code = (code or "").strip()
    signature = codes.check(code, token) if token else codes.MISSING
    if signature == codes.BAD or (code.isdigit() and len(code) == 20 and not codes.well_formed(code)):
        return public_body(selectors.PublicAnswer(selectors.FORGED, code, signature))
    counted = scans.count_scan(code, location=location, ip=ip)
    static = _static(code) if counted is not None else None
    if static is None:
        return public_body(selectors.PublicAnswer(selectors.NOT_FOUND, code, signature))
    return {
        "result": selectors.VOIDED if counted.status == "voided" else selectors.VALID,
        "code": code, "signature": signature,
        "certificate": static["certificate"] | {"scan_count": counted.scan_count, "possible_copy": counted.flagged},
        "marks": _marks(static["mark_numbers"], today),
        "chain": static["chain"], "producers": static["producers"], "chain_truncated": static["chain_truncated"],
    }
