"""`manage.py load_demo_gi`: demo GI registrations, the holder association's account, its
mark-use authorisations and two years of quality data (after `load_demo`; idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sanpin.accounts.models import system_user
from sanpin.core.errors import DomainError
from sanpin.gi.demo import load_demo_gi


class Command(BaseCommand):
    help = "加载农产品地理标志演示数据（登记、用标授权、品质数据）。可重复运行，不会重复创建。"

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境不加载演示数据。")
        try:
            report = load_demo_gi(actor=system_user())
        except LookupError as exc:
            raise CommandError("请先运行 load_demo") from exc
        except DomainError as exc:
            details = "；".join(f"{k}：{'，'.join(v)}" for k, v in exc.fields.items())
            details = f"（{details}）" if details else ""
            raise CommandError(f"地理标志演示数据加载失败：{exc.message}{details}") from exc
        if options["verbosity"] < 1:
            return
        if not report.total:
            self.stdout.write("地理标志演示数据已存在，无需改动。")
            return
        summary = "，".join(f"{what} {n}" for what, n in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"已加载地理标志演示数据：{summary}。"))
