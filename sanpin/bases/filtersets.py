"""One FilterSet for bases: the staff list, the API list and the Excel export read the same
filters, so an export holds exactly the rows the list showed."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.models import Region

from .choices import BaseLevel, BaseStatus, BaseType
from .models import Base


class BaseFilterSet(django_filters.FilterSet):
    """The queryset passed in is already scoped with `restrict`."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_q",
                                  help_text=_("基地名称、产品、运营主体或目录编号"))
    base_type = django_filters.ChoiceFilter(label=_("基地类型"), choices=BaseType.choices, empty_label=_("全部"))
    level = django_filters.ChoiceFilter(label=_("基地级别"), choices=BaseLevel.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("目录状态"), choices=BaseStatus.choices, empty_label=_("全部"))
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region", help_text=_("所在区划（含下级）"))
    operator = django_filters.NumberFilter(label=_("运营主体"), field_name="operator_id")

    class Meta:
        model = Base
        fields = ["q", "base_type", "level", "status", "region", "operator"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(products__icontains=value)
                               | Q(operator__name__icontains=value) | Q(directory_number__istartswith=value))

    def filter_region(self, queryset, name, value):
        value = value.strip()
        if not value.isdigit():
            return queryset.none()
        region = Region.objects.filter(code=value).first()
        return queryset.filter(county__code__startswith=region.scope_prefix if region else value)


def filtered_bases(user, params) -> Base:
    """The bases the user may see, filtered by `params` (a QueryDict or dict); an invalid filter
    yields no rows rather than all of them."""
    rows = Base.objects.restrict(user, "view").select_related("county", "operator")
    filterset = BaseFilterSet(params, queryset=rows)
    return filterset.qs if filterset.is_valid() else rows.none()
