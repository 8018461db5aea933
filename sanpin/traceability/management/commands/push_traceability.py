"""`manage.py push_traceability`: push the due events of the traceability outbox now (cron, or
by hand after the platform was down)."""

from django.core.management.base import BaseCommand

from sanpin.traceability import services


class Command(BaseCommand):
    help = "Push pending certificate events to the national traceability platform."

    def handle(self, *args, **options):
        result = services.push_pending()
        if not result["configured"]:
            self.stdout.write("TRACEABILITY_ENDPOINT is not set: nothing sent, events wait.")
            return
        self.stdout.write("delivered {delivered}, to retry {retry}, failed {failed}".format(**result))
