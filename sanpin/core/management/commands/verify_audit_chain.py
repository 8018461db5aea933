"""Verify the audit hash chain; exit status 1 and the first broken row when it is broken
(run nightly from cron or Celery beat, so an alert fires on a break)."""

from django.core.management.base import BaseCommand, CommandError

from sanpin.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail and report the first broken row."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain broken at seq {report.first_broken_seq}: {report.problem} "
                f"({report.checked} rows checked)"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} rows checked"))
