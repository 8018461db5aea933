from django.core.management.base import BaseCommand, CommandError

from sanpin.promotion.demo import load_demo_promotion


class Command(BaseCommand):
    help = ("Demo promotion data: the Shanghai 十百千万 targets, outlets and trained specialists, an upcoming "
            "宣传月 and a past 绿博会 with results, a published award list (idempotent).")

    def handle(self, *args, **options):
        try:
            r = load_demo_promotion()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"宣传推介演示数据：上海“十百千万”目标 {r['targets']} 项；新增专区专柜 {r['outlets']} 个、"
            f"推广专员 {r['specialists']} 人、活动 {r['events']} 个、获奖名单 {r['award_lists']} 份"
            f"（参展报名共 {r['participations']} 条）")
