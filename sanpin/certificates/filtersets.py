"""One FilterSet for certificates: the staff list, the API and the Excel export."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.models import Region
from sanpin.core import clock

from .choices import EffectiveStatus, Scheme
from .models import Certificate


class CertificateFilterSet(django_filters.FilterSet):
    """The queryset passed in is already scoped with `restrict`. `status` is the status on
    today's date, so `expired` works although it is never stored."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_q", help_text=_("编号、产品或获证单位"))
    scheme = django_filters.ChoiceFilter(label=_("认证类型"), choices=Scheme.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EffectiveStatus.choices, empty_label=_("全部"),
                                         method="filter_status")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region",
                                       help_text=_("获证单位所在区划（含下级）"))
    holder = django_filters.NumberFilter(label=_("获证单位"), field_name="holder_id")

    class Meta:
        model = Certificate
        fields = ["q", "scheme", "status", "region", "holder"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__istartswith=value) | Q(product_name__icontains=value)
                               | Q(holder__name__icontains=value))

    def filter_status(self, queryset, name, value):
        return queryset.effective(value, clock.today()) if value else queryset

    def filter_region(self, queryset, name, value):
        value = value.strip()
        if not value.isdigit():
            return queryset.none()
        region = Region.objects.filter(code=value).first()
        prefix = region.scope_prefix if region else value
        return queryset.filter(holder__region__code__startswith=prefix)
