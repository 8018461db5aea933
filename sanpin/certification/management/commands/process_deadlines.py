"""Send deadline reminders and escalate overdue review steps (daily, from cron or Celery beat)."""

from datetime import date

from django.core.management.base import BaseCommand

from sanpin.certification.services import deadlines_process


class Command(BaseCommand):
    help = "Remind about review steps due within two working days and escalate overdue ones."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="judge as of this day (YYYY-MM-DD)")

    def handle(self, *args, **options):
        result = deadlines_process(today=options.get("date"))
        self.stdout.write(f"reminded {result['reminded']}, escalated {result['escalated']}")
