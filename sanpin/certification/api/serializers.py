"""API shapes of applications: input serializers parse what a caller sends, output serializers
describe what the API answers (the engine does the validation that matters)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..choices import ApplicationKind, AttachmentKind, Scheme


class ApplicationCreateSerializer(serializers.Serializer):
    scheme = serializers.ChoiceField(choices=Scheme.choices)
    kind = serializers.ChoiceField(choices=ApplicationKind.choices)
    entity = serializers.IntegerField(help_text="申请人（本单位）编号")
    certificate = serializers.CharField(required=False, allow_blank=True,
                                        help_text="续展、变更、停止使用时所涉证书编号")
    # Checked item by item by the engine, whose errors name the field as products[i].<name>.
    products = serializers.ListField(child=serializers.DictField(), required=False, default=list,
                                     help_text="[{name, category, trademark, approved_output, output_unit, "
                                               "registration_no}]；category 为产品类别代码")
    inputs = serializers.ListField(child=serializers.DictField(), required=False, default=list,
                                   help_text="申报投入品（绿色食品）：[{kind, name, crop, product, dosage, note}]；"
                                             "kind 为 "
                                             "pesticide / fertilizer / veterinary_drug / feed / food_additive，"
                                             "product 为本申请的产品名称，crop 与 product 至少填一项")
    data = serializers.DictField(required=False, default=dict,
                                 help_text="applicant_conditions / product_conditions: {条件代码: true}；"
                                           "changes: {product_name|trademark|approved_output|company_name: 新值}；"
                                           "stop_reason、lost_on（停止使用）；"
                                           "origin_country（境外产品的 ISO 国家代码）")


class DeclaredInputInSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="pesticide / fertilizer / veterinary_drug / feed / food_additive")
    name = serializers.CharField(allow_blank=True, help_text="投入品通用名，如 吡虫啉")
    crop = serializers.CharField(required=False, allow_blank=True, default="", help_text="使用的作物或对象")
    product = serializers.CharField(required=False, allow_blank=True, default="", help_text="本申请的产品名称")
    dosage = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ExpertDrawSerializer(serializers.Serializer):
    specialty = serializers.CharField()
    size = serializers.IntegerField(min_value=1, max_value=15, required=False)


class ActionInSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="GET …/actions/ 列出当前可办理的操作")
    state = serializers.CharField(required=False, allow_blank=True, default="",
                                  help_text="办理人看到的申请状态；若已被他人改变则返回 409，避免重复办理")
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    days = serializers.IntegerField(required=False, allow_null=True, default=None,
                                    help_text="整改、暂停审核或专项检测的期限（工作日）")
    inspector = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="检查员用户编号")
    lab = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="检测机构（主体）编号")
    lab_tests = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    experts = ExpertDrawSerializer(required=False, allow_null=True, default=None)
    favourable = serializers.BooleanField(required=False, allow_null=True, default=None)


class AttachmentInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    file = serializers.FileField()


class ActionOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    requires = serializers.ListField(child=serializers.CharField())


class ClockSerializer(serializers.Serializer):
    due_on = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True, help_text=_("剩余工作日；超期为负数"))
    overdue = serializers.BooleanField()
    warn = serializers.BooleanField()
    paused = serializers.BooleanField()
    provisional = serializers.BooleanField()
    provisional_reason = serializers.CharField()


class StepOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    time_limit_wd = serializers.IntegerField(allow_null=True)
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    clock = ClockSerializer()
    assignees = serializers.ListField(child=serializers.DictField())


class EventOutSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField()
    opinion = serializers.CharField()
    details = serializers.DictField()


class ApplicationOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    scheme = serializers.CharField()
    kind = serializers.CharField()
    entity = serializers.DictField()
    certificate = serializers.CharField(allow_null=True)
    state = serializers.CharField()
    state_label = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    current_step = StepOutSerializer(allow_null=True)
    deadline = serializers.DateField(allow_null=True, help_text="当前环节的截止日")
    clock_paused = serializers.BooleanField()
    products = serializers.ListField(child=serializers.DictField())
    inputs = serializers.ListField(child=serializers.DictField(),
                                   help_text="申报投入品 {id, kind, kind_label, name, crop, product, dosage, note}；"
                                             "不在可用投入品清单内的见 review_flags")
    fees = serializers.ListField(child=serializers.DictField())
    warnings = serializers.ListField(child=serializers.CharField(), help_text="草稿提交前尚需完成的事项")
    review_flags = serializers.ListField(child=serializers.CharField(),
                                         help_text="审查提示（如未使用注册商标），不阻止提交")
    data = serializers.DictField(help_text="申请内容：条件确认清单及本认证类型的申报事项")
    attachments = serializers.ListField(child=serializers.DictField())
    notices = serializers.ListField(child=serializers.DictField())
    steps = StepOutSerializer(many=True)
    history = EventOutSerializer(many=True)


class ApplicationSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    scheme = serializers.CharField()
    kind = serializers.CharField()
    entity = serializers.DictField()
    certificate = serializers.CharField(allow_null=True)
    state = serializers.CharField()
    state_label = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField()
