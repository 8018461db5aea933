"""manage.py refresh_valid_counts: what the nightly task does, on demand (e.g. after a bulk load
that bypassed the services, or to warm a new installation)."""

from django.core.management.base import BaseCommand

from sanpin.stats.valid_store import refresh


class Command(BaseCommand):
    help = "重算保留的有效产品数汇总（今日及已结束目标年度的 12 月 31 日）"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="全部重算（批量导入证书后使用）")

    def handle(self, *args, full=False, **options):
        done = refresh(full=full)
        self.stdout.write(f"保留 {done['days']} 天，新计算 {done['new_days']} 天，"
                          f"重算待更新单元 {done['stale_cells']} 个")
