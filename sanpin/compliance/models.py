"""承诺达标合格证 (commitment compliance certificates): the hot tables of the system.

Hundreds of millions a year (DESIGN "Data and scale"). The certificate row is narrow; on
PostgreSQL the table is partitioned by month of `issued_at` (migration 0002), so the primary key
and every unique constraint include `issued_at`; the code begins with the issue month (YYMM), which
makes a code unique across partitions when it is unique within its month. `region_code` (the
issuing county) is the distribution key should the tables move to a distributed PostgreSQL. Rows
that point at a certificate carry its `issued_at` beside its id and use no database foreign key
(partitioned targets cannot be referenced by id alone); the services keep them consistent.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.core.access import RestrictedQuerySet, ScopeRule

from .choices import CheckResult, CommitmentBasis, ProductCategory, Status, ViolationKind

COMPLIANCE_ACTIONS = {
    # Issuers see what they issued or received; staff see their region's.
    "view": REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT, Role.PURCHASER},
    "issue": frozenset({Role.APPLICANT, Role.PURCHASER}),
    "receive": frozenset({Role.PURCHASER}),
    "report": REVIEW_STAFF_ROLES | {Role.PURCHASER},
}


class ComplianceCertificate(models.Model):
    """One 合格证 issued by a producer (or, after mixing or repacking, by a purchaser) for one lot.

    `sources` (SourceLink) name the certificates a re-issued one was made from, with the quantity
    taken from each; `mark_number` joins the holder's green food / organic / GI number (三码合一)
    and `trace_code` the traceability code."""

    id = models.BigAutoField(primary_key=True)
    code = models.CharField(_("合格证编码"), max_length=20)
    issued_at = models.DateTimeField(_("开具时间"))
    # The issuing county: scope and distribution key. No database constraint (a narrow column that a
    # distributed table can carry); the services only write existing county codes.
    region = models.ForeignKey("catalog.Region", verbose_name=_("开具地（县级）"), db_column="region_code",
                               db_constraint=False, on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    issuer = models.ForeignKey("catalog.Entity", verbose_name=_("开具主体"), on_delete=models.PROTECT,
                               related_name="+", db_index=False)
    product_name = models.CharField(_("产品名称"), max_length=60)
    category = models.CharField(_("产品类别"), max_length=20, choices=ProductCategory.choices)
    quantity = models.DecimalField(_("数量（重量）"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("单位"), max_length=10)
    origin = models.CharField(_("产地"), max_length=120)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    basis = models.CharField(_("承诺依据"), max_length=20, choices=CommitmentBasis.choices)
    test_report_no = models.CharField(_("检测报告编号"), max_length=60, blank=True)
    mark_number = models.CharField(_("绿色食品/有机/地理标志编号"), max_length=40, blank=True)
    trace_code = models.CharField(_("追溯码"), max_length=60, blank=True)
    is_reissue = models.BooleanField(_("混装/分装后重新开具"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.VALID)
    scan_count = models.PositiveIntegerField(_("扫码次数"), default=0)
    flagged = models.CharField(_("疑似复制"), max_length=200, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  db_index=False)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="region", entity_field="issuer", actions=COMPLIANCE_ACTIONS)

    class Meta:
        verbose_name = _("承诺达标合格证")
        verbose_name_plural = _("承诺达标合格证")
        constraints = [models.UniqueConstraint(fields=["code", "issued_at"], name="compliance_code_month")]
        indexes = [
            models.Index(fields=["code"], name="compliance_code_idx"),
            models.Index(fields=["issuer", "issued_at", "id"], name="compliance_issuer_keyset_idx"),
            models.Index(fields=["region", "issued_at"], name="compliance_region_idx"),
            # Staff lists over many issuers: keyset pages newest first (scanned backwards).
            models.Index(fields=["issued_at", "id"], name="compliance_keyset_idx"),
        ]

    def __str__(self):
        return self.code


class IssueKey(models.Model):
    """A client-supplied idempotency key, once per issuer: a retried request with the same key and
    the same body returns the certificate first made; the same key with another body is refused."""

    issuer = models.ForeignKey("catalog.Entity", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=64)
    body_hash = models.CharField(max_length=64)
    certificate_id = models.BigIntegerField()
    certificate_issued_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "key"], name="compliance_issue_key_once")]

    def __str__(self):
        return f"{self.issuer_id}:{self.key}"


class SourceLink(models.Model):
    """A re-issued certificate (`certificate`) made in part from `source`, with the quantity taken
    from it: the edges of the chain back to every producer."""

    certificate_id = models.BigIntegerField()
    certificate_issued_at = models.DateTimeField()
    source_id = models.BigIntegerField()
    source_issued_at = models.DateTimeField()
    receiver = models.ForeignKey("catalog.Entity", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)

    class Meta:
        indexes = [
            models.Index(fields=["certificate_id"], name="compliance_link_cert_idx"),
            models.Index(fields=["source_id", "receiver"], name="compliance_link_source_idx"),
        ]

    def __str__(self):
        return f"{self.certificate_id} ← {self.source_id} ({self.quantity})"


class Receipt(models.Model):
    """A purchaser or market records that it received a certificate with the goods (收证), by scan
    or with a photo of a paper certificate, and the result of its entry check (查验). Kept at least
    six months: the rules forbid deleting it earlier (SPEC §10)."""

    certificate_id = models.BigIntegerField(null=True, blank=True)
    certificate_issued_at = models.DateTimeField(null=True, blank=True)
    code = models.CharField(_("合格证编码"), max_length=20, blank=True)
    receiver = models.ForeignKey("catalog.Entity", verbose_name=_("收证主体"), on_delete=models.PROTECT,
                                 related_name="compliance_receipts")
    received_at = models.DateTimeField(_("收证时间"))
    place = models.CharField(_("收证地点"), max_length=120)
    quantity = models.DecimalField(_("收货数量"), max_digits=14, decimal_places=3)
    check_result = models.CharField(_("查验结果"), max_length=20, choices=CheckResult.choices,
                                    default=CheckResult.CONFORMING)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    photo = models.FileField(_("纸质合格证照片"), upload_to="compliance/receipts/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    keep_until = models.DateField(_("保存期限"))

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="receiver__region", entity_field="receiver", actions=COMPLIANCE_ACTIONS)

    class Meta:
        verbose_name = _("收证记录")
        verbose_name_plural = _("收证记录")
        indexes = [
            models.Index(fields=["receiver", "received_at"], name="compliance_receipt_keyset_idx"),
            models.Index(fields=["certificate_id"], name="compliance_receipt_cert_idx"),
        ]

    def __str__(self):
        return f"{self.code} → {self.receiver_id}"


class Violation(models.Model):
    """A recorded violation of the 合格证 rules by an entity (not issuing, false issuing, goods not
    matching, purchases without a certificate): the credit file reads these [003 att.5 §4(3)]."""

    entity = models.ForeignKey("catalog.Entity", on_delete=models.PROTECT, related_name="compliance_violations")
    kind = models.CharField(_("类型"), max_length=20, choices=ViolationKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    detail = models.TextField(_("情况"))
    code = models.CharField(_("涉及合格证编码"), max_length=20, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeRule(region_field="entity__region", entity_field="entity", actions=COMPLIANCE_ACTIONS)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("合格证违规记录")
        verbose_name_plural = _("合格证违规记录")

    def __str__(self):
        return f"{self.entity_id} {self.kind}"
