"""Recompute every graded entity's credit standing (nightly, from cron where Celery beat is not run)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from sanpin.credit import standing


class Command(BaseCommand):
    help = "刷新全部主体的信用等级（有信用事件或持有未到期证书的主体），按批计算并批量写入。"

    def add_arguments(self, parser):
        parser.add_argument("--on", help="评价日期 YYYY-MM-DD，默认今天")

    def handle(self, *args, **options):
        on = None
        if options["on"]:
            try:
                on = datetime.date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        count = standing.refresh_all(on)
        self.stdout.write(f"已刷新 {count} 个主体的信用等级")
