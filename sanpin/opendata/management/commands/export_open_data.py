"""Regenerate the open-data registry files (daily, from cron or Celery beat)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from sanpin.opendata.export import directory, export_open_data


class Command(BaseCommand):
    help = "Write the open-data registry (CSV and JSON) into var/open-data/, atomically."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="target directory (default var/open-data/)")

    def handle(self, *args, **options):
        target = options["dir"] or directory()
        manifest = export_open_data(target_dir=target)
        self.stdout.write(f"开放数据已生成：{manifest['records']} 条记录，目录 {target}")
