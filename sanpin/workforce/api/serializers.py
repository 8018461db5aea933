"""Input and output shapes of the lab-oversight and people API."""

from rest_framework import serializers

from sanpin.accounts.choices import DesignationScheme, LabTest

from ..choices import InspectionConclusion, PersonGroup, ProficiencyResult
from ..models import LabInspection, ProficiencyTest, TrainingRecord


def _codes(choices) -> str:
    return " / ".join(f"{value}（{label}）" for value, label in choices.choices)


# Codes are plain strings in the schema (their lists are in the help text) and checked by the
# services with Chinese messages; enum components would collide with other apps' "scheme"/"result".
SCHEME_HELP = "定点业务类型：" + _codes(DesignationScheme)
TEST_HELP = "检测项目：" + _codes(LabTest)
RESULT_HELP = "结果：" + _codes(ProficiencyResult)
CONCLUSION_HELP = "结论：" + _codes(InspectionConclusion)


class LabRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()


class ProficiencyTestSerializer(serializers.ModelSerializer):
    lab = LabRefSerializer()
    scheme = serializers.CharField(help_text=SCHEME_HELP)
    test = serializers.CharField(help_text=TEST_HELP)
    result = serializers.CharField(help_text=RESULT_HELP)
    voided = serializers.SerializerMethodField()

    class Meta:
        model = ProficiencyTest
        fields = ["id", "lab", "scheme", "test", "programme", "organiser", "tested_on", "result", "notes", "voided",
                  "voided_at", "void_reason", "created_at"]

    def get_voided(self, obj) -> bool:
        return obj.voided_at is not None


class ProficiencyTestInSerializer(serializers.Serializer):
    lab = serializers.IntegerField(help_text="检测机构（主体）id")
    scheme = serializers.CharField(max_length=30, help_text=SCHEME_HELP)
    test = serializers.CharField(max_length=40, help_text=TEST_HELP)
    programme = serializers.CharField(max_length=200, help_text="能力验证计划名称")
    organiser = serializers.CharField(max_length=120)
    tested_on = serializers.DateField()
    result = serializers.CharField(max_length=20, help_text=RESULT_HELP)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class LabInspectionSerializer(serializers.ModelSerializer):
    lab = LabRefSerializer()
    scheme = serializers.CharField(help_text=SCHEME_HELP)
    conclusion = serializers.CharField(help_text=CONCLUSION_HELP)
    voided = serializers.SerializerMethodField()

    class Meta:
        model = LabInspection
        fields = ["id", "lab", "scheme", "inspected_on", "inspectors", "findings", "conclusion", "voided",
                  "voided_at", "void_reason", "created_at"]

    def get_voided(self, obj) -> bool:
        return obj.voided_at is not None


class LabInspectionInSerializer(serializers.Serializer):
    lab = serializers.IntegerField(help_text="检测机构（主体）id")
    scheme = serializers.CharField(max_length=30, help_text=SCHEME_HELP)
    inspected_on = serializers.DateField()
    inspectors = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    findings = serializers.CharField()
    conclusion = serializers.CharField(max_length=10, help_text=CONCLUSION_HELP)


class VoidInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class DesignationSerializer(serializers.Serializer):
    scheme = serializers.CharField(help_text=SCHEME_HELP)
    tests = serializers.ListField(child=serializers.CharField())
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    is_suspended = serializers.BooleanField()
    suspension_reason = serializers.CharField()


class BlockSerializer(serializers.Serializer):
    scheme = serializers.CharField(help_text="业务类型名称")
    reasons = serializers.ListField(child=serializers.CharField())


class LabStandingSerializer(serializers.Serializer):
    lab = LabRefSerializer()
    on_date = serializers.DateField()
    designations = DesignationSerializer(many=True)
    blocked = BlockSerializer(many=True, help_text="因能力验证不满意或飞行检查不合格而暂不能委托的业务及原因")


class TrainingRecordSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.SerializerMethodField()
    province = serializers.CharField(source="province_id")

    class Meta:
        model = TrainingRecord
        fields = ["id", "person", "person_name", "province", "course", "organiser", "started_on", "ended_on", "hours",
                  "certificate_number", "created_at"]

    def get_person_name(self, obj) -> str:
        return str(obj.person)


class TrainingRecordInSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="人员（用户）id")
    province = serializers.CharField(max_length=6, help_text="资质注册省份代码，如 450000")
    course = serializers.CharField(max_length=200)
    organiser = serializers.CharField(max_length=120)
    started_on = serializers.DateField()
    ended_on = serializers.DateField()
    hours = serializers.CharField(max_length=12, help_text="学时，大于 0，最多一位小数")
    certificate_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class QualificationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    number = serializers.CharField()
    province = serializers.CharField(source="province_id")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    qualifications = QualificationSerializer(many=True, source="scoped_qualifications")


class InspectorYearSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    site_assigned = serializers.IntegerField(help_text="年内受派的现场检查")
    site_done = serializers.IntegerField(help_text="已提交检查报告的现场检查")
    site_on_time = serializers.IntegerField(help_text="在环节时限内提交报告的现场检查")
    site_findings = serializers.IntegerField(help_text="之后被要求整改或判不合格的现场检查")
    annual_done = serializers.IntegerField(help_text="当年年检计划中完成的年度检查")
    annual_on_time = serializers.IntegerField(help_text="在计划年度内完成的年度检查")
    annual_findings = serializers.IntegerField(help_text="结论为限期整改或不合格的年度检查")
    done = serializers.IntegerField()
    on_time = serializers.IntegerField()
    findings = serializers.IntegerField()
    training_courses = serializers.IntegerField()
    training_hours = serializers.DecimalField(max_digits=8, decimal_places=1)


class ExpertYearSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    drawn = serializers.IntegerField(help_text="年内被随机抽中的评审组数")
    served = serializers.IntegerField(help_text="参加的评审环节数（重新抽取后被替换的不计）")
    opinions = serializers.IntegerField(help_text="提交的评审意见数")
    on_time = serializers.IntegerField(help_text="在评审环节时限内提交的意见数")


GROUP_HELP = _codes(PersonGroup)
