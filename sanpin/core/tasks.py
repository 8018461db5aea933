import logging

from celery import shared_task

from .audit import verify_chain

logger = logging.getLogger("sanpin.audit")


@shared_task(name="core.verify_audit_chain")
def verify_audit_chain():
    """Nightly: recompute the audit hash chain; a break is logged at ERROR so alerting fires."""
    report = verify_chain()
    if not report.ok:
        logger.error("audit chain broken at seq %s: %s", report.first_broken_seq, report.problem)
    return {"ok": report.ok, "checked": report.checked, "first_broken_seq": report.first_broken_seq}
