"""One FilterSet per model for the staff list pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanpin.catalog.models import Region
from sanpin.core import clock

from .choices import EXPIRED, EXPIRED_LABEL, AuthorizationStatus, RegistrationStatus
from .models import GIAuthorization, GIRegistration


def _region_prefix(value: str) -> str | None:
    value = value.strip()
    if not value.isdigit():
        return None
    region = Region.objects.filter(code=value).first()
    return region.scope_prefix if region else value


class GIRegistrationFilterSet(django_filters.FilterSet):
    """The queryset passed in is already scoped with `restrict`."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_q", help_text=_("编号、产品或持有人"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RegistrationStatus.choices, empty_label=_("全部"))
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region",
                                       help_text=_("持有人所在区划（含下级）"))
    county = django_filters.CharFilter(label=_("覆盖县"), method="filter_county",
                                       help_text=_("地域范围包含该县级区划代码"))
    holder = django_filters.NumberFilter(label=_("持有人"), field_name="holder_id")

    class Meta:
        model = GIRegistration
        fields = ["q", "status", "region", "county", "holder"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__istartswith=value) | Q(product_name__icontains=value)
                               | Q(holder__name__icontains=value))

    def filter_region(self, queryset, name, value):
        prefix = _region_prefix(value)
        return queryset.filter(holder__region__code__startswith=prefix) if prefix else queryset.none()

    def filter_county(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(counties__code=value).distinct() if value else queryset


class GIAuthorizationFilterSet(django_filters.FilterSet):
    """`status` is the status on today's date, so `expired` works although it is never stored."""

    registration = django_filters.CharFilter(label=_("登记证书编号"), field_name="registration__number",
                                             lookup_expr="iexact")
    user_entity = django_filters.NumberFilter(label=_("授权用标主体"), field_name="user_entity_id")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=[*AuthorizationStatus.choices, (EXPIRED, EXPIRED_LABEL)], empty_label=_("全部"),
        method="filter_status",
    )

    class Meta:
        model = GIAuthorization
        fields = ["registration", "user_entity", "status"]

    def filter_status(self, queryset, name, value):
        today = clock.today()
        if value == EXPIRED:
            return queryset.filter(status=AuthorizationStatus.VALID, valid_until__lt=today)
        if value == AuthorizationStatus.VALID:
            return queryset.filter(status=value, valid_until__gte=today)
        return queryset.filter(status=value) if value else queryset
