"""import_records <xlsx> [--files <dir>] [--dry-run]: import existing records as the SYSTEM user."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanpin.accounts.models import system_user
from sanpin.core.errors import ValidationFailed
from sanpin.records_import import io, services


class Command(BaseCommand):
    help = "导入存量主体、证书和档案文件（全部或全不）"

    def add_arguments(self, parser):
        parser.add_argument("workbook", help="工作簿 .xlsx（“主体”“证书”两个工作表）")
        parser.add_argument("--files", help="档案文件所在目录")
        parser.add_argument("--dry-run", action="store_true", help="仅校验，不写入")

    def handle(self, *args, workbook, files=None, dry_run=False, **options):
        path = Path(workbook)
        if not path.is_file():
            raise CommandError(f"文件不存在：{workbook}")
        try:
            source = io.FileSource.from_folder(files) if files else io.FileSource.empty()
            report = services.records_import(actor=system_user(), workbook=path.read_bytes(), files=source,
                                             dry_run=dry_run)
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        for p in report.problems:
            self.stderr.write(f"{p.sheet} 第 {p.row_no} 行 {p.column}：{p.reason}")
        if report.problems:
            raise CommandError(f"{len(report.problems)} 处错误，未导入任何数据")
        verb = "校验通过（未写入）" if dry_run else "已导入"
        self.stdout.write(f"{verb}：主体 {report.entities}，证书 {report.certificates}，档案文件 {report.documents}")
