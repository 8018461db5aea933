"""Causes of rectification (整改) and revocation (取消) per scheme, with their sources.

Green inputs follow their rules exactly: the three rectification causes of [004 §25] and the seven
revocation causes of [004 §26]. Green food follows 绿色食品标志管理办法 Art. 26 (SPEC §10); organic the
national organic certification rules; 名特优新 its directory rules. Every scheme may also open a
rectification from a failed sampling test or annual inspection, and a failed rectification is a
cause of revocation everywhere (docs/decisions/0021-supervision.md)."""

from django.utils.translation import gettext_lazy as _

SAMPLING_FAILED = "sampling_failed"
INSPECTION_FAILED = "inspection_failed"
RECTIFICATION_FAILED = "rectification_failed"

_FINDINGS = (
    (SAMPLING_FAILED, _("产品抽检不合格")),
    (INSPECTION_FAILED, _("年度检查不合格")),
)

RECTIFICATION_CAUSES = {
    "green_inputs": (  # [004 §25]
        ("mark_misuse", _("获证产品未按规定使用绿色生资标志、产品编号")),
        ("over_output", _("获证产品的产量（实际销售量）超过核准产量")),
        ("contract_breach", _("违反《合同》有关约定")),
        *_FINDINGS,
    ),
    "green_food": (
        ("mark_misuse", _("未按规定使用绿色食品标志和证书")),
        ("over_output", _("实际产量超过核准产量")),
        ("label_nonconforming", _("包装标签不符合绿色食品标志使用规范")),
        ("contract_breach", _("未遵守标志使用合同约定")),
        *_FINDINGS,
    ),
    "organic": (
        ("mark_misuse", _("未按规定使用有机产品认证标志、有机码")),
        ("over_output", _("销售量超过认证数量")),
        ("management_nonconforming", _("生产、加工过程管理不符合认证要求")),
        *_FINDINGS,
    ),
    "featured": (
        ("mark_misuse", _("未按规定使用全国名特优新农产品标识")),
        ("quality_declined", _("品质特征发生变化，未达到名录收录要求")),
        *_FINDINGS,
    ),
}

REVOCATION_CAUSES = {
    "green_inputs": (  # [004 §26], exactly these seven
        ("not_conforming", _("许可使用绿色生资标志产品不能持续符合绿色生资技术规范要求")),
        ("banned_additive", _("违规添加绿色生资禁用品")),
        ("unapproved_materials", _("擅自全部或部分采用未经协会核准的原料或擅自改变产品配方")),
        (RECTIFICATION_FAILED, _("未在规定期限内整改合格")),
        ("lost_qualification", _("丧失有关法定资质")),
        ("mark_transfer", _("将绿色生资标志用于其它未经核准的产品或擅自转让、许可他人使用")),
        ("contract_breach", _("违反《合同》有关约定")),
    ),
    "green_food": (  # 绿色食品标志管理办法 Art. 26
        ("environment_failed", _("生产环境不符合绿色食品环境质量标准")),
        ("product_failed", _("产品质量不符合绿色食品产品质量标准")),
        (INSPECTION_FAILED, _("年度检查不合格")),
        ("contract_breach", _("未遵守标志使用合同约定")),
        ("mark_misuse", _("违反规定使用标志和证书")),
        ("fraud", _("以欺骗、贿赂等不正当手段取得标志使用权")),
        (RECTIFICATION_FAILED, _("整改期满仍不合格")),
    ),
    "organic": (  # national organic certification rules: 撤销认证证书
        ("product_failed", _("获证产品质量不符合国家强制性要求或检出禁用物质")),
        ("banned_inputs", _("生产、加工中使用禁用物质或受禁用物质污染")),
        ("false_information", _("认证委托人虚报、瞒报获证所需信息")),
        ("mark_misuse", _("超范围使用认证标志")),
        ("environment_failed", _("产地（基地）环境质量不符合认证要求")),
        (RECTIFICATION_FAILED, _("暂停期间未采取有效纠正措施")),
    ),
    "featured": (
        ("not_confirmed", _("未按期年度确认")),
        ("quality_failed", _("品质检测不合格")),
        ("incident", _("发生重大农产品质量安全事故")),
        ("fraud", _("以弄虚作假等不正当手段获得收录")),
        (RECTIFICATION_FAILED, _("整改期满仍不合格")),
    ),
}

# A revocation bars new applications of the same scheme: green food 3 years, permanently when the
# case is serious (Art. 26; SPEC §10). Other schemes set no ban in the rules the system follows.
BAN_YEARS = {"green_food": 3}


def labels(table: dict, scheme: str) -> dict:
    return {code: str(label) for code, label in table.get(scheme, ())}
