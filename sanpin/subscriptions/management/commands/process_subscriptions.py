"""Tell expiries and hand on due webhook retries, for installations without Celery beat (cron)."""

from django.core.management.base import BaseCommand

from sanpin.subscriptions import services


class Command(BaseCommand):
    help = "Tell subscribers of yesterday's expiries and retry webhook deliveries that are due."

    def handle(self, *args, **options):
        expired = services.emit_expired()
        retried = services.retry_due()
        self.stdout.write(f"expired events: {expired}; webhook deliveries handed on: {retried}")
