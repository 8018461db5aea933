"""Input and output shapes of the knowledge API."""

from rest_framework import serializers

from ..choices import DeliveryMeans


class PublicStandardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.CharField(help_text="upcoming 即将实施 / current 现行 / withdrawn 废止（按今天计算）")
    status_label = serializers.CharField()
    published_on = serializers.DateField()
    effective_on = serializers.DateField()
    withdrawn_on = serializers.DateField(allow_null=True)
    replaced_by = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField(help_text="全文公开时的下载地址，否则为 null")

    def get_replaced_by(self, obj) -> str | None:
        return obj.replaced_by.number if obj.replaced_by_id else None

    def get_file_url(self, obj) -> str | None:
        from django.urls import reverse

        if obj.has_file and obj.file_public:
            return self.context["request"].build_absolute_uri(reverse("knowledge:standard_file", args=[obj.pk]))
        return None


class PublicProcedureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    product = serializers.CharField()
    product_field = serializers.CharField()
    region = serializers.CharField(source="region_id", help_text="适用区域代码（含下级区域）")
    region_name = serializers.CharField(source="region.name")
    issuing_agency = serializers.CharField()
    issued_on = serializers.DateField()
    version = serializers.CharField()
    standards = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    def get_standards(self, obj) -> list[str]:
        return [s.number for s in obj.standards.all()]

    def get_file_url(self, obj) -> str | None:
        from django.urls import reverse

        if obj.has_file:
            return self.context["request"].build_absolute_uri(reverse("knowledge:procedure_file", args=[obj.pk]))
        return None


class KnowledgeDistributionInputSerializer(serializers.Serializer):
    standard = serializers.CharField(required=False, allow_blank=True, help_text="标准编号，如 NY/T 393-2020")
    procedure = serializers.IntegerField(required=False, allow_null=True, help_text="已发布规程/明白纸的 id")
    recipients = serializers.ListField(
        child=serializers.CharField(allow_blank=True), allow_empty=True,
        help_text="接收方：主体的统一社会信用代码，或基地目录编号（JD…）/基地全称；任一有误则全部不登记")
    delivered_on = serializers.DateField()
    means = serializers.ChoiceField(choices=DeliveryMeans.choices)
    copies = serializers.IntegerField()
    delivered_by = serializers.CharField(allow_blank=True)


class KnowledgeDistributionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    batch = serializers.UUIDField()
    document = serializers.SerializerMethodField()
    entity = serializers.SerializerMethodField()
    base = serializers.SerializerMethodField()
    region = serializers.CharField(source="region_id")
    delivered_on = serializers.DateField()
    means = serializers.CharField()
    copies = serializers.IntegerField()
    delivered_by = serializers.CharField()

    def get_document(self, obj) -> dict:
        if obj.standard_id:
            return {"type": "standard", "id": obj.standard_id, "number": obj.standard.number,
                    "title": obj.standard.title}
        return {"type": "procedure", "id": obj.procedure_id, "title": obj.procedure.title}

    def get_entity(self, obj) -> dict:
        return {"id": obj.entity_id, "name": obj.entity.name, "uscc": obj.entity.uscc}

    def get_base(self, obj) -> dict | None:
        return {"id": obj.base_id, "name": obj.base.name} if obj.base_id else None


class KnowledgeCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    received = serializers.IntegerField()
    trained = serializers.IntegerField()
    reached = serializers.IntegerField(help_text="已发放或已培训（任一）")
    received_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    trained_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    reached_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class KnowledgeCoverageRowSerializer(serializers.Serializer):
    region = serializers.DictField()
    entities = KnowledgeCountsSerializer()
    bases = KnowledgeCountsSerializer()


class KnowledgeCoverageSerializer(serializers.Serializer):
    region = serializers.DictField(allow_null=True)
    start = serializers.DateField(source="from_")
    end = serializers.DateField(source="to")
    on = serializers.DateField(help_text="获证主体的统计日（期间末日，或期间未结束时的今天）")
    rows = KnowledgeCoverageRowSerializer(many=True)
    total = KnowledgeCoverageRowSerializer()
