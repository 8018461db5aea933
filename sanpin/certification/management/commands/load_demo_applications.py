"""Demo fee schedules and green-input applications at different steps (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from sanpin.certification.demo import load_demo_applications


class Command(BaseCommand):
    help = "Load demo fee schedules and green-input applications of the demo applicant."

    def handle(self, *args, **options):
        try:
            result = load_demo_applications()
        except LookupError as exc:
            raise CommandError("请先运行 load_demo") from exc
        self.stdout.write(f"演示申请：新增收费标准 {result['fees']} 条，申请 {result['applications']} 件")
