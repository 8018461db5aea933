"""One FilterSet per model, shared by the list pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import EntityKind, RegionLevel
from .models import Entity, Region


class EntityFilterSet(django_filters.FilterSet):
    """Filters for organisations. The queryset passed in is already scoped with `restrict`."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_q", help_text=_("名称或统一社会信用代码"))
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="icontains")
    uscc = django_filters.CharFilter(label=_("统一社会信用代码"), method="filter_uscc")
    kind = django_filters.ChoiceFilter(label=_("主体类型"), choices=EntityKind.choices, empty_label=_("全部"))
    region = django_filters.CharFilter(
        label=_("区划代码"), method="filter_region", help_text=_("该区划及其下级区划内的主体")
    )
    is_active = django_filters.BooleanFilter(
        label=_("状态"), widget=forms.Select(choices=[("", _("全部")), ("true", _("有效")), ("false", _("停用"))])
    )

    class Meta:
        model = Entity
        fields = ["q", "name", "uscc", "kind", "region", "is_active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__istartswith=value.upper()))

    def filter_uscc(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(uscc__startswith=value) if value else queryset

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(code=value.strip()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(region__code__startswith=region.scope_prefix)


def search_regions(queryset, value: str):
    """Digits match the start of the code (4501 → Nanning and its districts); text matches the
    name or full name."""
    value = (value or "").strip()
    if not value:
        return queryset
    if value.isdigit():
        return queryset.filter(code__startswith=value)
    return queryset.filter(Q(name__contains=value) | Q(full_name__contains=value))


class RegionFilterSet(django_filters.FilterSet):
    """Filters for the public region list: children of a parent (provinces when none), a level,
    a name or code search, and the fee-waiver flags."""

    parent = django_filters.CharFilter(label=_("上级区划代码"), method="filter_parent")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=RegionLevel.choices)
    q = django_filters.CharFilter(label=_("名称或代码"), method="filter_q")
    poverty_exit_county = django_filters.BooleanFilter(label=_("脱贫县"))
    key_assistance_county = django_filters.BooleanFilter(label=_("国家乡村振兴重点帮扶县"))

    class Meta:
        model = Region
        fields = ["parent", "level", "q", "poverty_exit_county", "key_assistance_county"]

    def filter_parent(self, queryset, name, value):
        return queryset.filter(parent_id=value.strip())

    def filter_q(self, queryset, name, value):
        return search_regions(queryset, value)

    @property
    def qs(self):
        queryset = super().qs
        data = self.form.cleaned_data if self.form.is_valid() else {}
        narrowed = any(data.get(k) not in (None, "") for k in ("parent", "level", "q"))
        narrowed = narrowed or any(data.get(k) is not None for k in ("poverty_exit_county", "key_assistance_county"))
        if not narrowed:
            queryset = queryset.filter(level=RegionLevel.PROVINCE)
        return queryset
