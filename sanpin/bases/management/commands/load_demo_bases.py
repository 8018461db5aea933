from django.core.management.base import BaseCommand

from sanpin.bases.demo import load_demo_bases


class Command(BaseCommand):
    help = ("Demo production bases, their listing reviews, a yearly check and the 2025 information collection "
            "(idempotent).")

    def handle(self, *args, **options):
        result = load_demo_bases()
        self.stdout.write(f"生产基地演示数据：基地 {result['bases']} 个，纳入目录 {result['listed']} 个")
