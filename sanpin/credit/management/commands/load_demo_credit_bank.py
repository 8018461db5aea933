"""`manage.py load_demo_credit_bank` (run by `make data` after `load_demo_bases`): the demo
applicant's organisation consents that the demo bank may read its credit report for six months,
granted through `consent_grant` by the demo applicant. Idempotent: an active consent is kept."""

import datetime

from django.core.management.base import BaseCommand

from sanpin.accounts.models import User
from sanpin.core import clock
from sanpin.credit import consent as consents
from sanpin.credit.models import BankConsent

APPLICANT, BANK = "gx_applicant", "bank"
PURPOSE = "流动资金贷款审批（演示）"


class Command(BaseCommand):
    help = "A demo consent from the demo applicant's organisation to the demo bank (idempotent)."

    def handle(self, *args, **options):
        applicant = User.objects.filter(username=APPLICANT).select_related("entity").first()
        banker = User.objects.filter(username=BANK).select_related("entity").first()
        if not (applicant and applicant.entity and banker and banker.entity):
            self.stdout.write("信用+金融演示数据：未找到演示申请人或演示银行，请先运行 load_demo")
            return
        today = clock.today()
        if BankConsent.objects.filter(consents.active_q(today), entity=applicant.entity, bank=banker.entity).exists():
            self.stdout.write("信用+金融演示数据：授权已存在，未新增")
            return
        consent = consents.consent_grant(actor=applicant, entity=applicant.entity, bank=banker.entity,
                                         purpose=PURPOSE, valid_until=today + datetime.timedelta(days=182))
        self.stdout.write(f"信用+金融演示数据：{consent.entity.name} 授权 {consent.bank.name} "
                          f"查询信用报告至 {consent.valid_until}")
