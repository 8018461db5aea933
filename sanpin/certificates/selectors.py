"""Reads: the term of a number in force on a day, a number's full history, and the public
verification answer."""

import datetime
import re
from dataclasses import dataclass, field

from sanpin.core import keyset, public_cache, replica

from . import signing
from .models import Certificate, OrganicCode, StatusChange

FORGED = "forged"
NOT_FOUND = "not_found"
ORGANIC_CODE = re.compile(r"^[0-9]{17}\Z")  # 有机码: certifier (3) + year (2) + random (12)


def term_on(queryset, number: str, today: datetime.date) -> Certificate | None:
    """Of the terms that share `number`, the one in force on `today`: the latest that has
    started, else the earliest (a term issued to start later)."""
    terms = queryset.filter(number=number)
    started = terms.filter(valid_from__lte=today).order_by("-valid_from", "-pk").first()
    return started or terms.order_by("valid_from", "pk").first()


def history(number: str):
    """Every status change of every term of the number, oldest first."""
    return StatusChange.objects.filter(certificate__number=number).select_related("actor", "certificate").order_by(
        "at", "pk"
    )


# The staff list's order: newest approval first; the number breaks ties (unique among heads).
LIST_ORDER = keyset.SortKey(("-approved_on", "number"))


def heads(queryset):
    """One row per number: the latest term."""
    return queryset.filter(renewed=False)


@dataclass
class Verification:
    result: str
    number: str
    certificate: Certificate | None = None
    signature: str = signing.MISSING
    changes: list = field(default_factory=list)
    organic_batch: object = None  # the OrganicCodeBatch when the code was a 有机码


def _read_term(number: str, today: datetime.date) -> tuple[Certificate | None, list]:
    certificate = term_on(Certificate.objects.select_related("holder"), number, today)
    if certificate is None:
        return None, []
    # The public sees only each change's status and day: no join to the actor, and a small cache entry.
    return certificate, list(history(number).select_related(None).only("certificate_id", "to_status", "at"))


def _public_lookup(number: str, today: datetime.date) -> tuple[Certificate | None, list]:
    """The term in force and its public history: cached (sanpin.core.public_cache), else read from
    the replica where that is safe (sanpin.core.replica)."""
    return public_cache.cached(public_cache.TERM, number, today, lambda: replica.lookup(
        lambda: _read_term(number, today), keys=[(replica.CERTIFICATE, number)]))


def verify(code: str, today: datetime.date) -> Verification:
    """What the public sees for a typed number or a scanned code: a bad signature or an altered
    number is "forged"; an unsigned number is looked up as typed."""
    if ORGANIC_CODE.match(code):
        return _verify_organic_code(code, today)
    number, signature = signing.verify_scan(code)
    if signature == signing.BAD:
        return Verification(FORGED, number, signature=signature)
    return verify_number(number, today, signature)


def verify_number(number: str, today: datetime.date, signature: str = signing.MISSING, *,
                  cached: bool = True) -> Verification:
    """The answer for a number whose signature was checked (or that came unsigned). `cached=False`
    skips the cache of terms, for a caller that caches the whole answer itself."""
    if not number:
        return Verification(NOT_FOUND, number, signature=signature)
    if cached:
        certificate, changes = _public_lookup(number, today)
    else:
        certificate, changes = replica.lookup(lambda: _read_term(number, today), keys=[(replica.CERTIFICATE, number)])
    if certificate is None:
        return Verification(NOT_FOUND, number, signature=signature)
    return Verification(certificate.effective_status(today), number, certificate, signature, changes)


def _verify_organic_code(code: str, today: datetime.date) -> Verification:
    """A 有机码 answers for the certificate whose batch it was issued in; one never issued is not found."""
    issued = OrganicCode.objects.select_related("batch__certifier", "batch__certificate__holder").filter(
        code=code).first()
    if issued is None:
        return Verification(NOT_FOUND, code)
    certificate = issued.batch.certificate
    return Verification(certificate.effective_status(today), certificate.number, certificate,
                        changes=list(history(certificate.number)), organic_batch=issued.batch)
