"""“信用+金融”: an entity's consent that a bank may read its credit report, and the reads.

Services (writes, each checks the role, validates in Chinese, writes and appends one audit event):
- `consent_grant`: the entity's own applicant grants one bank a consent until a day (today at the
  earliest, one year ahead at the latest) for a stated purpose. A second grant to a bank that
  already holds an active consent replaces it: the earlier one is ended (withdrawn by the same
  person at the same moment) and the new one starts, so a bank holds at most one active consent
  per entity and the read log names the consent each read was made under.
- `consent_withdraw`: the entity's applicant ends an active consent before its day.
- `report_read`: a bank user asks for an entity's report; without an active consent of that entity
  to the user's bank the answer is NotFound (404) and nothing is written; with one, one
  `CreditReportRead` row is appended in the same transaction. The read log is itself the
  append-only record of reads (shown to the entity), so a read adds no audit event.

Selectors (reads): the consents of an entity with their state, the read log of an entity, and the
entities a bank may read.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanpin.accounts.choices import Role
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity
from sanpin.core import audit, clock
from sanpin.core.access import require_role
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .models import BankConsent, CreditReportRead

ACTIVE, LAPSED, WITHDRAWN = "active", "lapsed", "withdrawn"
STATE_LABELS = {ACTIVE: gettext_lazy("有效"), LAPSED: gettext_lazy("已到期"), WITHDRAWN: gettext_lazy("已撤回")}
READ_FORMATS = {"page": gettext_lazy("网页"), "pdf": gettext_lazy("PDF"), "api": gettext_lazy("接口")}
PURPOSE_MAX = 200


def one_year_after(day: datetime.date) -> datetime.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# --- selectors --------------------------------------------------------------------------------------


def active_q(today: datetime.date, prefix: str = "") -> Q:
    """Consents in force on `today`: not withdrawn and not past their last day."""
    return Q(**{f"{prefix}withdrawn_at__isnull": True, f"{prefix}valid_until__gte": today})


def consent_state(consent: BankConsent, today: datetime.date) -> str:
    if consent.withdrawn_at is not None:
        return WITHDRAWN
    return ACTIVE if consent.valid_until >= today else LAPSED


def consents_of(entity: Entity, today: datetime.date) -> list[dict]:
    """Every consent the entity has granted, newest first, with its state and its latest read (`last_read`)."""
    rows = (BankConsent.objects.filter(entity=entity).select_related("bank", "granted_by", "withdrawn_by")
            .annotate(last_read=Max("reads__read_at")).order_by("-granted_at", "-pk"))
    return [{"consent": c, "state": consent_state(c, today), "state_label": STATE_LABELS[consent_state(c, today)]}
            for c in rows]


def reads_of(entity: Entity):
    """The read log of the entity's report: every read by which bank, which person, when and how."""
    return (CreditReportRead.objects.filter(consent__entity=entity)
            .select_related("consent", "consent__bank", "reader").order_by("-read_at", "-pk"))


def banks():
    """The financial institutions an entity may grant a consent to."""
    return Entity.objects.filter(kind=EntityKind.BANK).order_by("name")


def bank_of(actor) -> int:
    """The bank a bank user acts for; a user who is not a bank's user gets 403."""
    require_role(actor, {Role.BANK})
    if not actor.entity_id:
        raise PermissionDenied(_("账号未关联金融机构"))
    return actor.entity_id


def readable_entities(actor, today: datetime.date):
    """The entities whose report the bank of `actor` may read today, with the last day of the consent
    (`consent_until`), by name."""
    bank_id = bank_of(actor)
    consents = BankConsent.objects.filter(active_q(today), bank_id=bank_id)
    until = (consents.filter(entity=OuterRef("pk")).order_by().values("entity")
             .annotate(day=Max("valid_until")).values("day"))
    return (Entity.objects.filter(Exists(consents.filter(entity=OuterRef("pk"))))
            .select_related("region").annotate(consent_until=until).order_by("name"))


def active_consent(*, bank_id: int, entity_id, today: datetime.date) -> BankConsent:
    """The consent in force today of entity `entity_id` to the bank, or NotFound (also for an entity
    that does not exist), so a bank cannot tell which entities exist."""
    consent = (BankConsent.objects.filter(active_q(today), bank_id=bank_id, entity_id=_as_id(entity_id))
               .select_related("entity", "entity__region", "bank").order_by("-granted_at", "-pk").first())
    if consent is None:
        raise NotFound()
    return consent


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc


# --- services ---------------------------------------------------------------------------------------


def _require_applicant_of(actor, entity: Entity) -> None:
    require_role(actor, {Role.APPLICANT})
    if not actor.entity_id or actor.entity_id != entity.pk:
        raise PermissionDenied(_("只能由本单位的申请人办理授权"))


def _consent_values(consent: BankConsent) -> dict:
    return {"entity": consent.entity_id, "bank": consent.bank_id, "purpose": consent.purpose,
            "valid_until": consent.valid_until.isoformat()}


@transaction.atomic
def consent_grant(*, actor, entity: Entity, bank, purpose: str, valid_until) -> BankConsent:
    """The entity's applicant lets `bank` read the entity's credit report until `valid_until`.
    Side effects: an active consent of the entity to the same bank is ended (replaced); one audit
    event for the grant (and one for the replaced consent)."""
    _require_applicant_of(actor, entity)
    today = clock.today()
    errors = {}
    if not isinstance(bank, Entity):
        errors["bank"] = _("请选择金融机构")
    elif bank.kind != EntityKind.BANK:
        errors["bank"] = _("只能授权给金融机构")
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("请填写查询用途，例如：贷款审批")
    elif len(purpose) > PURPOSE_MAX:
        errors["purpose"] = _("用途不超过 %(n)d 个字") % {"n": PURPOSE_MAX}
    if not isinstance(valid_until, datetime.date):
        errors["valid_until"] = _("请填写授权截止日期")
    elif valid_until < today:
        errors["valid_until"] = _("授权截止日期不能早于今天")
    elif valid_until > one_year_after(today):
        errors["valid_until"] = _("授权期限最长一年，截止日期不能晚于 %(day)s") % {
            "day": one_year_after(today).isoformat()}
    if errors:
        raise ValidationFailed(fields=errors)
    now = clock.now()
    for earlier in (BankConsent.objects.select_for_update()
                    .filter(active_q(today), entity=entity, bank=bank).order_by("pk")):
        earlier.withdrawn_at, earlier.withdrawn_by = now, actor
        earlier.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit.record(actor=actor, verb="credit.consent.replace", target=earlier, old=_consent_values(earlier),
                     reason=_("向同一金融机构重新授权，原授权终止"))
    consent = BankConsent.objects.create(entity=entity, bank=bank, purpose=purpose, valid_until=valid_until,
                                         granted_by=actor, granted_at=now)
    audit.record(actor=actor, verb="credit.consent.grant", target=consent, new=_consent_values(consent),
                 reason=purpose)
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: BankConsent) -> BankConsent:
    """The entity's applicant ends an active consent now: from this moment the bank's reads answer
    404. A lapsed or already withdrawn consent cannot be withdrawn (409). Side effects: one audit
    event."""
    consent = BankConsent.objects.select_for_update().select_related("entity").get(pk=consent.pk)
    _require_applicant_of(actor, consent.entity)
    if consent_state(consent, clock.today()) != ACTIVE:
        raise Conflict(_("该授权已到期或已撤回"))
    consent.withdrawn_at, consent.withdrawn_by = clock.now(), actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit.record(actor=actor, verb="credit.consent.withdraw", target=consent, old=_consent_values(consent))
    return consent


@transaction.atomic
def report_read(*, actor, entity_id, format: str, ip: str | None = None) -> BankConsent:
    """A bank user reads an entity's credit report (`format`: page, pdf or api). Returns the consent
    the read is made under (with its entity); NotFound without one, and then nothing is written.
    Side effects: one CreditReportRead row. Call it inside the transaction that renders the report,
    so a report that fails to render leaves no read behind."""
    if format not in READ_FORMATS:
        raise ValueError(f"unknown read format {format!r}")
    bank_id = bank_of(actor)
    consent = active_consent(bank_id=bank_id, entity_id=entity_id, today=clock.today())
    CreditReportRead.objects.create(consent=consent, reader=actor, read_at=clock.now(), format=format, ip=ip or None)
    return consent


def consent_for_withdrawal(actor, pk) -> BankConsent:
    """A consent of the applicant's own entity, or NotFound (another entity's consent included)."""
    require_role(actor, {Role.APPLICANT})
    try:
        return BankConsent.objects.select_related("entity", "bank").get(pk=_as_id(pk), entity_id=actor.entity_id)
    except BankConsent.DoesNotExist as exc:
        raise NotFound() from exc
