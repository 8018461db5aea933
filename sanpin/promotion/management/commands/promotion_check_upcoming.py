"""Re-check the certificates of approved participants of events starting the next day (daily, from
cron where Celery beat is not run)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from sanpin.promotion import day_before


class Command(BaseCommand):
    help = "展前复核：对次日开始的活动中审核通过的参展主体复核证书，标记已不能展示的证书（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--on", help="复核日期 YYYY-MM-DD（复核其次日开始的活动），默认今天")

    def handle(self, *args, **options):
        on = None
        if options["on"]:
            try:
                on = datetime.date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD") from exc
        result = day_before.check_upcoming(on)
        self.stdout.write(f"展前复核：{result['events']} 个活动，新标记 {result['flagged']} 张证书")
