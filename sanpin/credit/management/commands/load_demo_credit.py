from django.core.management.base import BaseCommand

from sanpin.credit.demo import load_demo_credit


class Command(BaseCommand):
    help = "Demo credit events for a few demo organisations (one A, one C), then every standing refreshed (idempotent)."

    def handle(self, *args, **options):
        result = load_demo_credit()
        self.stdout.write(f"信用演示数据：新增信用事件 {result['events']} 条，"
                          f"刷新信用等级 {result['standings']} 个主体")
