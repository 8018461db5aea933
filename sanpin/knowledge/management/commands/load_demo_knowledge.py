from django.core.management.base import BaseCommand

from sanpin.knowledge.demo import load_demo_knowledge


class Command(BaseCommand):
    help = ("Demo standards library: green food standards, a Guangxi procedure and sheet, deliveries to demo "
            "organisations and bases, one training class (idempotent; run after load_demo and load_demo_bases).")

    def handle(self, *args, **options):
        result = load_demo_knowledge()
        self.stdout.write(f"标准规程演示数据：标准 {result['standards']} 项，规程/明白纸 {result['procedures']} 份，"
                          f"新增发放 {result['distributions']} 条，新增参训 {result['attendance']} 条")
