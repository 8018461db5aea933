"""One FilterSet per registry model: the staff list pages and the API lists read the same filters.
`on` is the counting day that `state` is judged on (today by default)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.models import Region
from sanpin.core import clock
from sanpin.core.widgets import DateInput

from . import selectors
from .choices import OutletKind
from .forms import districts_in_scope
from .models import Outlet, PromotionSpecialist

STATES = [("active", _("计入目标")), ("inactive", _("不计入目标"))]


class _RegistryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="filter_q")
    district = django_filters.CharFilter(label=_("区划代码"), method="filter_district",
                                         help_text=_("所在区划（含下级），如 310000、310115"))
    state = django_filters.ChoiceFilter(label=_("统计状态"), choices=STATES, method="filter_state",
                                        empty_label=_("全部"))
    on = django_filters.DateFilter(label=_("统计日"), method="keep", widget=DateInput(),
                                   help_text=_("判断是否计入目标的日期，默认今天"))

    counted = None  # selectors function: the rows counted on a day

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def keep(self, queryset, name, value):
        return queryset

    def day(self):
        return (self.form.cleaned_data.get("on") if hasattr(self.form, "cleaned_data") else None) or clock.today()

    def filter_district(self, queryset, name, value):
        value = value.strip()
        if not value.isdigit():
            return queryset.none()
        region = Region.objects.filter(code=value).first()
        return queryset.filter(district__code__startswith=region.scope_prefix if region else value)

    def filter_state(self, queryset, name, value):
        counted = type(self).counted(self.day()).values("pk")
        if value == "active":
            return queryset.filter(pk__in=counted)
        return queryset.exclude(pk__in=counted)

    def district_choices(self):
        return [(code, name) for code, name in districts_in_scope(self.user).values_list("code", "name")]


class OutletFilterSet(_RegistryFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=OutletKind.choices, empty_label=_("全部"))

    counted = staticmethod(lambda on: selectors.outlets_open(on))

    class Meta:
        model = Outlet
        fields = ["q", "kind", "district", "state", "on"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(host_name__icontains=value) | Q(address__icontains=value)) if value else queryset


class SpecialistFilterSet(_RegistryFilterSet):
    counted = staticmethod(lambda on: selectors.specialists_counted(on))

    class Meta:
        model = PromotionSpecialist
        fields = ["q", "district", "state", "on"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(employer__icontains=value)) if value else queryset
