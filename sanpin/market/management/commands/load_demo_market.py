"""`manage.py load_demo_market`: demo buyers, dealer directory, supply listings and an answered
inquiry (see sanpin.market.demo). Idempotent."""

from django.core.management.base import BaseCommand

from sanpin.market.demo import load_demo_market


class Command(BaseCommand):
    help = "Demo market data: buyer profile, dealers, listings of the demo applicant, one inquiry (idempotent)."

    def handle(self, *args, **options):
        done = load_demo_market()
        self.stdout.write("产销对接演示数据：新增采购商信息 {profile} 个、经销商 {dealers} 家、供应信息 {listings} 条、"
                          "询价 {inquiries} 条".format(**done))
