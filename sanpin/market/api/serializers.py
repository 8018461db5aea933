"""Input and output shapes of the market API. Contact fields are optional in the output: they are
left out, not blanked, when the caller may not see them (the contact rule)."""

from rest_framework import serializers

from ..choices import BuyerType, InquiryStatus, ListingStatus, ProductField, field_labels


class RegionRefSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MarketRegion"

    code = serializers.CharField()
    name = serializers.CharField()


class HolderSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MarketOrganisation"

    id = serializers.IntegerField()
    name = serializers.CharField()


class ListingSerializer(serializers.Serializer):
    """A listing as the public sees it; contacts only for registered buyers, the holder and staff
    in scope."""

    id = serializers.IntegerField()
    product_name = serializers.CharField()
    product_field = serializers.ChoiceField(choices=ProductField.choices)
    product_field_label = serializers.CharField()
    scheme = serializers.CharField(help_text="green_inputs / green_food / organic / gi / featured")
    mark = serializers.CharField(help_text="证书对应的标志，如 绿色食品标志")
    certificate_number = serializers.CharField()
    certificate_valid_until = serializers.DateField()
    holder = HolderSerializer()
    supply_from_month = serializers.IntegerField(help_text="1–12")
    supply_to_month = serializers.IntegerField(help_text="1–12；小于起始月表示跨年")
    season = serializers.CharField(help_text="如 全年、9月至12月")
    quantity = serializers.CharField(help_text="可供数量（十进制字符串）")
    unit = serializers.CharField()
    packaging = serializers.CharField(allow_blank=True)
    region = RegionRefSerializer()
    description = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    contact_name = serializers.CharField(required=False, help_text="仅向注册采购商、供应单位和辖区工作人员返回")
    contact_phone = serializers.CharField(required=False, help_text="同上")
    holder_contact_name = serializers.CharField(required=False, help_text="同上")
    holder_contact_phone = serializers.CharField(required=False, help_text="同上")
    holder_address = serializers.CharField(required=False, help_text="同上")
    contact_hint = serializers.CharField(required=False, help_text="联系方式未返回时的说明")


class OwnListingSerializer(ListingSerializer):
    """A listing as its holder or staff in scope see it: with its status and whether it is public."""

    status = serializers.CharField(help_text="、".join(ListingStatus.values))
    status_label = serializers.CharField()
    status_reason = serializers.CharField(allow_blank=True, help_text="下架理由")
    visible = serializers.BooleanField(help_text="今天是否公开（发布中且证书有效）")


class ListingInSerializer(serializers.Serializer):
    """Parsed loosely: the service checks every value and answers with Chinese messages."""

    certificate = serializers.CharField(help_text="本单位有效证书的 id 或证书编号")
    product_name = serializers.CharField(required=False, allow_blank=True, help_text="默认为证书的获证产品")
    product_field = serializers.CharField(required=False, allow_blank=True,
                                          help_text="、".join(ProductField.values))
    supply_from_month = serializers.CharField(required=False, allow_blank=True, help_text="1–12")
    supply_to_month = serializers.CharField(required=False, allow_blank=True, help_text="1–12")
    quantity = serializers.CharField(required=False, allow_blank=True)
    unit = serializers.CharField(required=False, allow_blank=True)
    packaging = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(required=False, allow_blank=True, help_text="区划代码，默认为本单位所在县区")
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


class DealerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    buyer_type = serializers.ChoiceField(choices=BuyerType.choices)
    buyer_type_label = serializers.CharField()
    product_fields = serializers.ListField(child=serializers.CharField())
    product_field_labels = serializers.ListField(child=serializers.CharField())
    serves_nationwide = serializers.BooleanField()
    regions = RegionRefSerializer(many=True)
    description = serializers.CharField(allow_blank=True)
    contact_name = serializers.CharField(required=False, help_text="仅向持有有效证书的获证单位用户和工作人员返回")
    contact_phone = serializers.CharField(required=False, help_text="同上")


class InquiryListingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product_name = serializers.CharField()
    holder = HolderSerializer()
    certificate_number = serializers.CharField()


class InquirySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    listing = InquiryListingSerializer()
    buyer = HolderSerializer()
    sent_by = serializers.CharField()
    message = serializers.CharField()
    quantity = serializers.CharField()
    unit = serializers.CharField()
    wanted_by = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="、".join(InquiryStatus.values))
    status_label = serializers.CharField()
    reply = serializers.CharField(allow_blank=True)
    replied_by = serializers.CharField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class InquiryInSerializer(serializers.Serializer):
    listing = serializers.IntegerField(help_text="供应信息 id")
    message = serializers.CharField(required=False, allow_blank=True)
    quantity = serializers.CharField(required=False, allow_blank=True)
    wanted_by = serializers.DateField(required=False, allow_null=True)


class ReplyInSerializer(serializers.Serializer):
    reply = serializers.CharField(required=False, allow_blank=True)


def dealer_row(profile, *, contacts: bool) -> dict:
    codes = profile.field_codes
    row = {
        "id": profile.pk, "name": profile.entity.name, "buyer_type": profile.buyer_type,
        "buyer_type_label": str(profile.get_buyer_type_display()), "product_fields": codes,
        "product_field_labels": field_labels(codes), "serves_nationwide": profile.serves_nationwide,
        "regions": [{"code": r.code, "name": r.name} for r in profile.regions.all()],
        "description": profile.description,
    }
    if contacts:
        row.update(contact_name=profile.entity.contact_name, contact_phone=profile.entity.contact_phone)
    return row


def listing_row(listing, *, contacts: bool, hint: str) -> dict:
    certificate, holder, region = listing.certificate, listing.holder, listing.region
    row = {
        "id": listing.pk, "product_name": listing.product_name, "product_field": listing.product_field,
        "product_field_label": str(listing.get_product_field_display()), "scheme": certificate.scheme,
        "mark": listing.mark, "certificate_number": certificate.number,
        "certificate_valid_until": certificate.valid_until, "holder": {"id": holder.pk, "name": holder.name},
        "supply_from_month": listing.supply_from_month, "supply_to_month": listing.supply_to_month,
        "season": str(listing.season_text), "quantity": listing.quantity_text, "unit": listing.unit,
        "packaging": listing.packaging, "region": {"code": region.code, "name": region.full_name or region.name},
        "description": listing.description, "created_at": listing.created_at,
    }
    if contacts:
        row.update(contact_name=listing.contact_name, contact_phone=listing.contact_phone,
                   holder_contact_name=holder.contact_name, holder_contact_phone=holder.contact_phone,
                   holder_address=holder.address)
    else:
        row["contact_hint"] = hint
    return row


def own_listing_row(listing, *, contacts: bool, hint: str, visible: bool) -> dict:
    return {**listing_row(listing, contacts=contacts, hint=hint), "status": listing.status,
            "status_label": str(listing.get_status_display()), "status_reason": listing.status_reason,
            "visible": visible}


def inquiry_row(inquiry) -> dict:
    listing = inquiry.listing
    return {
        "id": inquiry.pk,
        "listing": {"id": listing.pk, "product_name": listing.product_name,
                    "holder": {"id": listing.holder_id, "name": listing.holder.name},
                    "certificate_number": listing.certificate.number},
        "buyer": {"id": inquiry.buyer_id, "name": inquiry.buyer.name}, "sent_by": str(inquiry.sent_by),
        "message": inquiry.message, "quantity": inquiry.quantity_text, "unit": inquiry.unit,
        "wanted_by": inquiry.wanted_by, "status": inquiry.status, "status_label": str(inquiry.get_status_display()),
        "reply": inquiry.reply, "replied_by": str(inquiry.replied_by) if inquiry.replied_by_id else None,
        "replied_at": inquiry.replied_at, "created_at": inquiry.created_at,
    }
