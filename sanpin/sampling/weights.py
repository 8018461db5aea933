"""How much more likely a certified product is to be drawn: risk × credit ("监管+信用", SPEC §7).

Risk (from what the system already knows about the holder):
- 1.0 to start with;
- +1.0 for every earlier failed sampling test of the holder's products (at most +3.0);
- +1.0 while the holder has a rectification open (整改中 or report awaiting review).

Credit: `credit_weight(entity)` reads the entity's current credit grade (its credit standing row,
refreshed when not computed today) and the sampling weight the rulebook in force gives that grade
(version 1: A 0.5, B 1, C 2, D 3; see docs/decisions/0030); `credit_weights(ids)` does the same for
many entities with one read of the standing table.
The credit app is imported inside the function, as a reader of a higher module's result."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

BASE = Decimal("1")
PER_FAILED_SAMPLE = Decimal("1")
MAX_FAILED_COUNTED = 3
OPEN_RECTIFICATION = Decimal("1")


def credit_weight(entity) -> float:
    """The credit factor of `entity`'s products in the draw: > 1 for low grades, < 1 for good ones,
    as the rulebook in force today sets it (1.0 for a grade it gives no weight). Reads the entity's
    standing when it was computed today, else computes and stores it."""
    return credit_weights([entity.pk])[entity.pk]


def credit_weights(entity_ids) -> dict:
    """`credit_weight` for many entities at once: {entity id: factor}, reading the credit standing
    table in one query (rows not computed today are refreshed first, in bulk)."""
    from sanpin.core import clock
    from sanpin.credit import rulebook as rulebooks
    from sanpin.credit import standing

    today = clock.today()
    rulebook = rulebooks.in_force(today)
    ids = set(entity_ids)
    grades = standing.current_grades(ids, today)
    table = rulebook.sampling_weights or {}
    return {pk: float(table.get(grades.get(pk), 1.0)) for pk in ids}


def risk_weight(*, failed_samples: int, open_rectification: bool) -> Decimal:
    return (BASE + PER_FAILED_SAMPLE * min(failed_samples, MAX_FAILED_COUNTED)
            + (OPEN_RECTIFICATION if open_rectification else Decimal("0")))


def weight(entity, *, failed_samples: int, open_rectification: bool, credit: float | None = None) -> Decimal:
    """The weight stored with the candidate (3 decimals, so the stored draw replays exactly).
    `credit` is the entity's credit factor when the caller read it in bulk (`credit_weights`)."""
    factor = credit_weight(entity) if credit is None else credit
    value = risk_weight(failed_samples=failed_samples, open_rectification=open_rectification) * Decimal(
        str(factor))
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def holder_risk() -> tuple[dict, set]:
    """Failed sampling tests per holder and the holders with an open rectification, in two queries
    (both sets are small next to the candidates, so they are read whole)."""
    from sanpin.supervision.models import Rectification, RectificationStatus

    from .models import Conclusion, SamplingTask

    failed = dict(
        SamplingTask.objects.filter(conclusion=Conclusion.FAIL)
        .values("certificate__holder_id").annotate(n=Count("pk")).values_list("certificate__holder_id", "n")
    )
    open_ids = set(
        Rectification.objects.filter(status__in=[RectificationStatus.OPEN, RectificationStatus.ANSWERED])
        .values_list("certificate__holder_id", flat=True)
    )
    return failed, open_ids
