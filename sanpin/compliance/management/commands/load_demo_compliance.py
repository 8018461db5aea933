from django.core.management.base import BaseCommand

from sanpin.compliance.demo import load_demo_compliance


class Command(BaseCommand):
    help = "Demo 合格证: issued by the demo enterprise, received and re-issued by the demo market (idempotent)."

    def handle(self, *args, **options):
        result = load_demo_compliance()
        self.stdout.write(f"合格证演示数据：开具 {result['issued']} 张，收证 {result['received']} 张，分装重开 1 张")
