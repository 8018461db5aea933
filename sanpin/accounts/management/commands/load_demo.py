"""`manage.py load_demo`: demo agencies, accounts (password `sanpin-demo`) and organisations.

Needs the region tree (`manage.py load_regions`). Safe to run again: what exists is kept and
nothing is duplicated. Never run it on a production database."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanpin.accounts.demo import DEMO_PASSWORD, USERS, MissingRegions, load_demo
from sanpin.accounts.models import system_user
from sanpin.core.errors import DomainError


class Command(BaseCommand):
    help = "加载演示数据：工作机构、演示账号（密码 sanpin-demo）、约 40 家主体和注册商标。可重复运行，不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true",
            help="在生产环境中也加载（演示账号密码公开，一般不应使用）",
        )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError("生产环境不加载演示数据：演示账号的密码是公开的。确需加载请加 --allow-production。")
        try:
            report = load_demo(actor=system_user(), today=timezone.localdate())
        except MissingRegions as exc:
            raise CommandError(
                f"缺少演示数据所需的行政区划（{'、'.join(exc.codes[:10])}{' 等' if len(exc.codes) > 10 else ''}），"
                "请先运行 load_regions"
            ) from exc
        except DomainError as exc:
            details = "；".join(f"{k}：{'，'.join(v)}" for k, v in exc.fields.items())
            raise CommandError(f"演示数据加载失败：{exc.message}{'（' + details + '）' if details else ''}") from exc
        if options["verbosity"] < 1:
            return
        if not report.total:
            self.stdout.write("演示数据已存在，无需改动。")
            return
        summary = "，".join(f"{what} {n}" for what, n in report.created.items())
        self.stdout.write(self.style.SUCCESS(f"已加载演示数据：{summary}。"))
        names = "、".join(user.username for user in USERS)
        self.stdout.write(f"演示账号：{names}；密码：{DEMO_PASSWORD}")
