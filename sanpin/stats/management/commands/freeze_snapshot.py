"""`manage.py freeze_snapshot --month YYYY-MM`: freeze one month's indicators (as the SYSTEM user),
e.g. to catch up a month the scheduler missed. Refused for a month not yet ended or already frozen."""

from django.core.management.base import BaseCommand, CommandError

from sanpin.core import clock
from sanpin.core.errors import DomainError
from sanpin.stats.snapshots import freeze, parse_month, previous_month


class Command(BaseCommand):
    help = "冻结某月的统计数据（月度快照）；默认上个月"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM；默认上个月")

    def handle(self, *args, month=None, **options):
        try:
            day = parse_month(month) if month else previous_month(clock.today())
            snapshot = freeze(day)
        except DomainError as error:
            detail = "；".join(m for messages in error.fields.values() for m in messages)
            raise CommandError(detail or error.message) from None
        levels = len(snapshot.figures.get("levels", {}))
        self.stdout.write(f"已冻结 {snapshot.month:%Y-%m} 的统计数据（{levels} 个区划层级）")
