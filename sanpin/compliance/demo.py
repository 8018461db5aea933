"""Demo 合格证 for `manage.py load_demo_compliance`: the demo enterprise issues a few (one joined
with its green food number: 三码合一), the demo wholesale market receives two and re-issues part
of one after repacking. Written through the services, with idempotency keys, so a second run
changes nothing."""

from decimal import Decimal

from django.db import transaction

from sanpin.accounts.models import User
from sanpin.certificates.models import Certificate

from .issuing import compliance_issue
from .models import ComplianceCertificate, Receipt, SourceLink
from .receiving import receipt_record
from .reissue import reissue

LOTS = (
    {"idempotency_key": "demo-cabbage", "product_name": "大白菜", "category": "vegetable", "quantity": "500",
     "unit": "公斤", "origin": "广西南宁市西乡塘区坛洛镇"},
    {"idempotency_key": "demo-citrus", "product_name": "沃柑", "category": "fruit", "quantity": "2000",
     "unit": "公斤", "origin": "广西南宁市武鸣区", "basis": "self_test", "test_report_no": "ZJ-2026-0318"},
)


@transaction.atomic
def load_demo_compliance() -> dict:
    users = {u.username: u for u in User.objects.filter(username__in=["gx_applicant", "buyer"])}
    producer, market = users.get("gx_applicant"), users.get("buyer")
    if producer is None or market is None:
        raise LookupError("demo accounts missing: run load_demo first")
    lots = [dict(lot) for lot in LOTS]
    rice = (Certificate.objects.filter(holder_id=producer.entity_id, scheme="green_food", renewed=False)
            .order_by("pk").first())
    if rice is not None:  # 三码合一: the lot carries the product's green food number
        lots.append({"idempotency_key": "demo-rice", "product_name": rice.product_name, "category": "other",
                     "quantity": "1000", "unit": "公斤", "origin": "广西南宁市西乡塘区",
                     "mark_number": rice.number, "trace_code": "45010720260001"})
    issued = compliance_issue(actor=producer, items=lots, via="demo").certificates
    received = 0
    for certificate in issued[:2]:
        if not Receipt.objects.filter(code=certificate.code, receiver_id=market.entity_id).exists():
            receipt_record(actor=market, code=certificate.code, place="南宁邕江农副产品批发市场 蔬菜水果区")
            received += 1
    cabbage = ComplianceCertificate.objects.get(pk=issued[0].pk)
    repacked = reissue(actor=market, key="demo-repack-cabbage",
                       sources=[{"code": cabbage.code, "quantity": Decimal("200")}],
                       product_name="大白菜（净菜分装）", category="vegetable", quantity=Decimal("200"), unit="公斤",
                       origin="广西南宁市西乡塘区", contact_phone="0771-3888888", basis="quality_control")
    return {"issued": len(issued), "received": received,
            "reissued": SourceLink.objects.filter(certificate_id=repacked.pk).count()}
