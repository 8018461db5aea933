"""The draw itself, free of the database: weighted random sampling without replacement
(Efraimidis–Spirakis, "Weighted random sampling with a reservoir", 2006) driven by a seeded
`random.Random`, so that the same seed and the same candidates with the same weights always give
the same selection, whatever order the candidates were listed in.

Each candidate gets the key ln(u) / w with u uniform in (0, 1]; the k largest keys are drawn. The
chance of being drawn grows with the weight; a weight of 0 is never drawn."""

import math
import random
from collections.abc import Iterable
from decimal import Decimal


def rng_for(seed: int, region_code: str) -> random.Random:
    """One generator per province, derived from the plan's seed: adding or changing one province's
    quota does not change another province's selection. A str seed is hashed with SHA-512 by
    `random.seed` (version 2), so it does not depend on PYTHONHASHSEED."""
    return random.Random(f"{int(seed)}:{region_code}")


def weighted_sample(candidates: Iterable[tuple[int, float | Decimal]], k: int, rng: random.Random) -> list[int]:
    """Draw up to `k` ids from (id, weight) pairs without replacement, heavier weights more often.
    Returns the ids in the order drawn (largest key first). Candidates are visited in id order so
    the input order does not matter; every candidate consumes one random number, weight 0 or not."""
    if k <= 0:
        return []
    keyed = []
    for ident, weight in sorted(candidates, key=lambda pair: pair[0]):
        u = 1.0 - rng.random()  # (0, 1]: log is defined
        w = float(weight)
        if w > 0:
            keyed.append((math.log(u) / w, -ident, ident))
    keyed.sort(reverse=True)
    return [ident for _key, _neg, ident in keyed[:k]]
