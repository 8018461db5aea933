"""合格证 code serials: reserved in blocks from a row-locked counter, shown as keyed-permuted digits.

A code's 9 middle digits (sanpin.compliance.codes) must be unique within its county and month and
must not be guessable, so that nobody can walk through a producer's certificates by typing codes.
Each (county, month) has a counter (core NumberSequence, key `compliance:<county>:<YYMM>`); a batch
moves it on by its size in one upsert, which locks the row until the issuing transaction ends
(concurrent batches of the same county and month queue there and get disjoint blocks; a rolled-back
batch rolls its block back). Serial n is then shown as `permute(n)`: a 4-round Feistel permutation of
[0, 10⁹) whose round functions are tables drawn from a key derived from SECRET_KEY, so the digits
look random while distinct serials give distinct digits by construction (no retry loop). A code made
another way in the same month (before this scheme, or under another SECRET_KEY) can still coincide:
the issuing service checks the month once per batch and reserves again for such rows.
"""

import datetime
import functools
import hashlib

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from sanpin.core.errors import ValidationFailed
from sanpin.core.models import NumberSequence

SPACE = 10**9  # 9 digits
HALF_BITS = 15  # the Feistel runs on 30 bits (2³⁰ ≥ 10⁹) and walks the cycle back into [0, 10⁹)
HALF_MASK = (1 << HALF_BITS) - 1
ROUNDS = 4


@functools.lru_cache(maxsize=4)
def _tables(secret: str) -> tuple[tuple[int, ...], ...]:
    """ROUNDS random functions of 15 bits → 15 bits, drawn from the key (one XOF call)."""
    key = hashlib.blake2b(secret.encode(), digest_size=32, person=b"sanpin-cc-serial").digest()
    size = 1 << HALF_BITS
    stream = hashlib.shake_256(key).digest(ROUNDS * size * 2)
    tables = []
    for r in range(ROUNDS):
        chunk = stream[r * size * 2:(r + 1) * size * 2]
        tables.append(tuple(int.from_bytes(chunk[i:i + 2], "little") & HALF_MASK for i in range(0, size * 2, 2)))
    return tuple(tables)


def permuter():
    """The permutation of [0, 10⁹) for the current SECRET_KEY, as a function."""
    t0, t1, t2, t3 = _tables(settings.SECRET_KEY)

    def permute(n: int) -> int:
        while True:
            left, right = n >> HALF_BITS, n & HALF_MASK
            left, right = right, left ^ t0[right]
            left, right = right, left ^ t1[right]
            left, right = right, left ^ t2[right]
            left, right = right, left ^ t3[right]
            n = (left << HALF_BITS) | right
            if n < SPACE:  # cycle walking: a bijection of [0, 2³⁰) restricted to [0, 10⁹)
                return n

    return permute


def sequence_key(region_code: str, month: str) -> str:
    return f"compliance:{region_code}:{month}"


def reserve(region_code: str, month: str, count: int) -> int:
    """Move the (county, month) counter on by `count` and return the block's first serial.

    One statement, an upsert: it creates the counter on first use and locks its row until the
    caller's transaction ends. Must run inside that transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("serials.reserve must run inside the issuing transaction")
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, last_value, updated_at) VALUES (%s, %s, %s) "  # noqa: S608 (model's table)
            f"ON CONFLICT (key) DO UPDATE SET last_value = {table}.last_value + EXCLUDED.last_value, "
            f"updated_at = EXCLUDED.updated_at RETURNING last_value",
            [sequence_key(region_code, month), count, timezone.now()])
        last = cursor.fetchone()[0]
    if last > SPACE:
        raise ValidationFailed(_("本县本月的合格证编码已用尽，请联系管理员"),
                               fields={"items": _("编码已用尽")})
    return last - count


def month_of(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%y%m")
