from django.core.management.base import BaseCommand

from sanpin.stats.demo_targets import GUANGXI_2024, SOURCE, TOTAL, load_demo_targets


class Command(BaseCommand):
    help = "Targets of the Guangxi 2024 plan (seed 002 annex: 14 cities, 1700 in all); idempotent."

    def handle(self, *args, **options):
        cities = load_demo_targets()
        self.stdout.write(f"发展目标演示数据：{SOURCE}，{cities}/{len(GUANGXI_2024)} 个市，合计 {TOTAL} 个")
