"""`manage.py load_demo_sampling`: the demo standards table and a draft sampling plan of the year
(after `load_demo`; idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sanpin.accounts.models import system_user
from sanpin.sampling.demo import load_demo_sampling


class Command(BaseCommand):
    help = "加载产品抽检演示数据（限量标准表、本年度抽检计划草案）。可重复运行，不会重复创建。"

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境不加载演示数据。")
        report = load_demo_sampling(actor=system_user())
        if options["verbosity"] < 1:
            return
        if not report.total:
            self.stdout.write("抽检演示数据已存在，无需改动。")
            return
        summary = "，".join(f"{what} {n}" for what, n in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"已加载抽检演示数据：{summary}。"))
