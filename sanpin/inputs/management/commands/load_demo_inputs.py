"""`manage.py load_demo_inputs`: a published Guangxi list of pesticides usable on green food with
demonstration residue limits (after `load_demo`; idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sanpin.inputs.demo import load_demo_inputs


class Command(BaseCommand):
    help = "加载绿色食品可用农药清单演示数据（广西清单及残留限量，均标注为演示数据）。可重复运行，不会重复创建。"

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境不加载演示数据。")
        try:
            report = load_demo_inputs()
        except LookupError as exc:
            raise CommandError("请先运行 load_demo 创建演示账号 gx_province。") from exc
        if options["verbosity"] < 1:
            return
        if not report.total:
            self.stdout.write("可用投入品演示数据已存在，无需改动。")
            return
        summary = "，".join(f"{what} {n}" for what, n in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"已加载可用投入品演示数据：{summary}。"))
