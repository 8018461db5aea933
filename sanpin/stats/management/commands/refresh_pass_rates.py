"""manage.py refresh_pass_rates: what the nightly task does, on demand (e.g. after a bulk load of
applications that bypassed the services, or to warm a new installation)."""

from django.core.management.base import BaseCommand

from sanpin.stats.pass_store import refresh


class Command(BaseCommand):
    help = "重算保留的一次通过率汇总（按区划、认证类型、申请类型和年度）"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="全部重算（批量导入申请后使用）")

    def handle(self, *args, full=False, **options):
        done = refresh(full=full)
        kind = "全部重算" if done["full"] else f"重算待更新组合 {done['stale_pairs']} 个"
        self.stdout.write(f"{kind}，写入汇总 {done['cells']} 条")
