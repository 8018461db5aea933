"""Create the coming months' partitions of the 合格证 table (PostgreSQL); idempotent. The daily
job (sanpin.certification.services.daily) runs the same."""

from django.core.management.base import BaseCommand

from sanpin.compliance.partitions import MONTHS_AHEAD, ensure


class Command(BaseCommand):
    help = "Create the coming months' partitions of the 合格证 table (PostgreSQL only; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=MONTHS_AHEAD, help="months ahead (default 24)")

    def handle(self, *args, months, **options):
        created = ensure(months_ahead=months)
        self.stdout.write(f"created {created} partition(s)")
