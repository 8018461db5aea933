"""Send deadline reminders, escalate overdue review steps and remind holders to renew (daily, from
cron or Celery beat)."""

from datetime import date

from django.core.management.base import BaseCommand

from sanpin.certification.services import daily


class Command(BaseCommand):
    help = "Remind about review steps due within two working days and escalate overdue ones."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="judge as of this day (YYYY-MM-DD)")

    def handle(self, *args, **options):
        result = daily(today=options.get("date"))
        self.stdout.write(f"reminded {result['reminded']}, escalated {result['escalated']}, "
                          f"renewal reminders {result['renewal_reminders']}")
