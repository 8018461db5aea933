"""The JSON document pushed for one certificate event: an EPCIS 2.0 document holding one
ObjectEvent, with the certification details in GS1 Web Vocabulary terms and the system's own
fields under the `sanpin:` prefix. Field by field in docs/traceability.md; the JSON Schema the
tests validate every document against is schema.json beside this module.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from sanpin.certificates.choices import ISSUERS, EffectiveStatus, Scheme, Status, category_label
from sanpin.certificates.models import quantity_text
from sanpin.core import clock

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
SANPIN_NAMESPACE = "urn:sanpin:traceability:"
GS1_NAMESPACE = "https://gs1.org/voc/"
SCHEMA_PATH = Path(__file__).with_name("schema.json")
FORMAT_VERSION = "1"

# The event's place in the certificate's life, as an EPCIS action: a term enters (ADD), is
# changed or moves between in-force states (OBSERVE), or ends for good (DELETE).
ACTIONS = {
    "issued": "ADD", "renewed": "ADD", "changed": "OBSERVE", "rectification": "OBSERVE", "suspended": "OBSERVE",
    "reinstated": "OBSERVE", "stopped": "DELETE", "revoked": "DELETE",
}
# gs1:certificationStatus: in force (valid, or valid while the holder rectifies) or not.
ACTIVE_STATUSES = frozenset({EffectiveStatus.VALID, EffectiveStatus.IN_RECTIFICATION})
# Approved-output units as UN/ECE Recommendation 20 codes (EPCIS `uom`); other units travel
# only in sanpin:outputUnit.
UOM = {"吨": "TNE", "千克": "KGM", "公斤": "KGM", "克": "GRM", "升": "LTR", "毫升": "MLT"}


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _offset(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def verify_url(number: str) -> str:
    """The public verify page of the number: what `certificationInfo` points at."""
    from urllib.parse import urlencode

    return f"{settings.SITE_URL}/verify/?{urlencode({'code': number})}"


def build(*, event_id, kind: str, certificate, occurred_at: datetime.datetime) -> dict:
    """The EPCIS document for one event, as it will be posted (frozen in the outbox row)."""
    status = certificate.effective_status(clock.today())
    scheme_label = str(Scheme(certificate.scheme).label) if certificate.scheme in Scheme.values else certificate.scheme
    quantity = {"epcClass": f"{SANPIN_NAMESPACE}product:{certificate.number}",
                "quantity": float(certificate.approved_output)}
    if certificate.output_unit in UOM:
        quantity["uom"] = UOM[certificate.output_unit]
    event = {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:{event_id}",
        "eventTime": _utc(occurred_at),
        "eventTimeZoneOffset": _offset(occurred_at),
        "action": ACTIONS[kind],
        "bizStep": f"sanpin:certificate_{kind}",
        "epcList": [],
        "quantityList": [quantity],
        "certificationInfo": verify_url(certificate.number),
        "sanpin:certification": {
            "type": "gs1:CertificationDetails",
            "gs1:certificationStandard": scheme_label,
            "gs1:certificationAgency": str(ISSUERS.get(certificate.scheme, "")),
            "gs1:certificationIdentification": certificate.number,
            "gs1:certificationStatus": "gs1:CertificationStatus-"
                                       + ("ACTIVE" if status in ACTIVE_STATUSES else "INACTIVE"),
            "gs1:certificationStartDate": certificate.valid_from.isoformat(),
            "gs1:certificationEndDate": certificate.valid_until.isoformat(),
        },
        "sanpin:eventKind": kind,
        "sanpin:scheme": certificate.scheme,
        "sanpin:certificateNumber": certificate.number,
        "sanpin:status": status,
        "sanpin:storedStatus": certificate.status if certificate.status in Status.values else "",
        "sanpin:holderUSCC": certificate.holder.uscc,
        "sanpin:holderName": certificate.holder.name,
        "sanpin:productName": certificate.product_name,
        "sanpin:category": certificate.category,
        "sanpin:categoryLabel": category_label(certificate.scheme, certificate.category),
        "sanpin:trademark": certificate.trademark,
        "sanpin:approvedOutput": quantity_text(certificate.approved_output),
        "sanpin:outputUnit": certificate.output_unit,
        "sanpin:approvedOn": certificate.approved_on.isoformat(),
        "sanpin:validFrom": certificate.valid_from.isoformat(),
        "sanpin:validUntil": certificate.valid_until.isoformat(),
        "sanpin:province": certificate.province_id or "",
        "sanpin:country": certificate.country.iso_code if certificate.country_id else "",
    }
    return {
        "@context": [EPCIS_CONTEXT, {"sanpin": SANPIN_NAMESPACE, "gs1": GS1_NAMESPACE}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": _utc(occurred_at),
        "sanpin:formatVersion": FORMAT_VERSION,
        "epcisBody": {"eventList": [event]},
    }


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
