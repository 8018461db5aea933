"""Generate realistic 合格证 (and, with --chains, re-issue chains) for benchmarks.

`manage.py generate_compliance --count 1000000 --chains` spreads certificates over the producers
already in the database (enterprises, cooperatives, family farms), their counties and the last
`--months` months; with --chains about a tenth are purchasers' re-issues citing two to four earlier
certificates (SourceLink rows), and some of those are cited again, so chains run three levels deep.
On PostgreSQL rows go in with COPY (ids reserved from the table's identity sequence: run it on a
quiet database); elsewhere with bulk_create in chunks. Refused in production. No audit events:
this is test data.
"""

import datetime
import random
import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from sanpin.accounts.models import system_user
from sanpin.catalog.models import Entity
from sanpin.compliance import codes
from sanpin.compliance.choices import CommitmentBasis, ProductCategory
from sanpin.compliance.models import ComplianceCertificate, SourceLink

PRODUCTS = {
    ProductCategory.VEGETABLE: ["西红柿", "黄瓜", "菠菜", "大白菜", "辣椒", "茄子", "芹菜", "土豆"],
    ProductCategory.EDIBLE_FUNGI: ["香菇", "平菇", "金针菇", "木耳"],
    ProductCategory.FRUIT: ["沙田柚", "砂糖橘", "芒果", "苹果", "香蕉", "火龙果", "百香果"],
    ProductCategory.TEA: ["茶叶鲜叶"],
    ProductCategory.LIVESTOCK: ["生猪", "肉牛", "肉羊", "肉鸡"],
    ProductCategory.EGG: ["鸡蛋", "鸭蛋"],
    ProductCategory.AQUATIC: ["罗非鱼", "草鱼", "对虾", "鲈鱼"],
}
UNITS = {ProductCategory.LIVESTOCK: "头", ProductCategory.EGG: "箱"}
PRODUCER_KINDS = ("enterprise", "cooperative", "family_farm")
COLUMNS = ("id", "code", "issued_at", "region_code", "issuer_id", "product_name", "category", "quantity", "unit",
           "origin", "contact_phone", "basis", "test_report_no", "mark_number", "trace_code", "is_reissue", "status",
           "scan_count", "flagged", "issued_by_id")
CHUNK = 50_000


class Command(BaseCommand):
    help = "Generate N realistic 合格证 (optionally with re-issue chains) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--chains", action="store_true", help="about 10%% re-issues citing earlier certificates")
        parser.add_argument("--months", type=int, default=12, help="spread over the last N months (default 12)")
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, count, chains, months, seed, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("generate_compliance writes test data and is refused in production")
        if count <= 0:
            raise CommandError("--count must be positive")
        rng = random.Random(seed)
        producers = list(Entity.objects.filter(is_active=True, kind__in=PRODUCER_KINDS)
                         .select_related("region").only("id", "region", "contact_phone"))
        buyers = list(Entity.objects.filter(is_active=True, kind="purchaser").select_related("region")
                      .only("id", "region", "contact_phone")) or producers
        if not producers:
            raise CommandError("no producer entities: run `manage.py load_demo` first")
        actor = system_user()
        end = timezone.now()
        start = max(end - datetime.timedelta(days=30 * months),
                    timezone.make_aware(datetime.datetime(2024, 1, 1)))
        span = int((end - start).total_seconds()) - 3 * 86400
        started, done, links = time.monotonic(), 0, 0
        while done < count:
            size = min(CHUNK, count - done)
            rows, edges = self._chunk(rng, size, chains, producers, buyers, actor.pk, start, span)
            self._write(rows, edges)
            done += size
            links += len(edges)
            self.stdout.write(f"{done} certificates, {links} source links, {time.monotonic() - started:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"generated {done} certificates in {time.monotonic() - started:.1f}s"))

    def _chunk(self, rng, size, chains, producers, buyers, actor_id, start, span):
        first_id = self._reserve_ids(size)
        reissues = size // 10 if chains else 0
        seen = set()
        rows, edges = [], []

        def code_for(region, moment):
            while True:
                body = codes.month_prefix(moment) + region + f"{rng.randrange(10 ** codes.RANDOM_DIGITS):09d}"
                code = body + codes.check_digit(body)
                if code not in seen:
                    seen.add(code)
                    return code

        for offset in range(size - reissues):
            entity = rng.choice(producers)
            category = rng.choice(list(PRODUCTS))
            moment = start + datetime.timedelta(seconds=rng.randrange(span))
            basis = rng.choices(list(CommitmentBasis), weights=(80, 15, 5))[0]
            unit = UNITS.get(category, "公斤")
            quantity = Decimal(rng.randrange(1, 200) if unit != "公斤" else rng.randrange(50, 5000))
            rows.append([first_id + offset, code_for(entity.region_id, moment), moment, entity.region_id, entity.pk,
                         rng.choice(PRODUCTS[category]), category.value, quantity, unit,
                         entity.region.full_name or entity.region.name, entity.contact_phone or "0771-0000000",
                         basis.value, f"JC{rng.randrange(10 ** 8):08d}" if basis != CommitmentBasis.QUALITY_CONTROL
                         else "", "", "", False, "valid", 0, "", actor_id])
        by_category, reissued = {}, {}
        for row in rows:
            by_category.setdefault(row[6], []).append(row)
        for offset in range(size - reissues, size):
            # A market mixes lots of one product category. Level 1 cites producers; every fifth
            # re-issue cites earlier re-issues (so chains reach three levels).
            category_value = rng.choice(list(by_category))
            pool = reissued.get(category_value, [])
            if not (offset % 5 == 0 and len(pool) >= 4):
                pool = by_category[category_value]
            sources = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
            if not sources:
                continue
            buyer = rng.choice(buyers)
            moment = max(s[2] for s in sources) + datetime.timedelta(hours=rng.randint(1, 48))
            taken = [(s, (s[7] * Decimal(rng.randint(10, 60)) / 100).quantize(Decimal("0.001"))) for s in sources]
            category = ProductCategory(sources[0][6])
            rows.append([first_id + offset, code_for(buyer.region_id, moment), moment, buyer.region_id, buyer.pk,
                         sources[0][5], category.value, sum(q for _s, q in taken), sources[0][8],
                         buyer.region.full_name or buyer.region.name, buyer.contact_phone or "0771-0000000",
                         "quality_control", "", "", "", True, "valid", 0, "", actor_id])
            reissued.setdefault(category.value, []).append(rows[-1])
            for source, quantity in taken:
                edges.append((first_id + offset, moment, source[0], source[2], buyer.pk, quantity))
        return rows, edges

    def _reserve_ids(self, size: int) -> int:
        table = ComplianceCertificate._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"nextval(pg_get_serial_sequence('{table}', 'id')) + %s - 1)", [size])
                return cursor.fetchone()[0] - size + 1
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (model table name)
            return cursor.fetchone()[0] + 1

    @transaction.atomic
    def _write(self, rows, edges):
        if connection.vendor == "postgresql":
            table = ComplianceCertificate._meta.db_table
            link_table = SourceLink._meta.db_table
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                with cursor.cursor.copy(
                        f"COPY {link_table} (certificate_id, certificate_issued_at, source_id, source_issued_at, "
                        f"receiver_id, quantity) FROM STDIN") as copy:
                    for edge in edges:
                        copy.write_row(edge)
            return
        names = [c if c not in ("region_code",) else "region_id" for c in COLUMNS]
        ComplianceCertificate.objects.bulk_create(
            (ComplianceCertificate(**dict(zip(names, row, strict=True))) for row in rows), batch_size=1000)
        SourceLink.objects.bulk_create(
            (SourceLink(certificate_id=e[0], certificate_issued_at=e[1], source_id=e[2], source_issued_at=e[3],
                        receiver_id=e[4], quantity=e[5]) for e in edges), batch_size=1000)
