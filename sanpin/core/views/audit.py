"""Audit log pages for national administrators: browse, inspect one event, verify the chain."""

from datetime import datetime, time

from django import forms
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from sanpin.accounts.choices import NATIONAL_ROLES
from sanpin.core.audit import verify_chain
from sanpin.core.models import AuditEvent
from sanpin.core.widgets import DateInput

from .mixins import RoleRequiredMixin


class AuditFilterForm(forms.Form):
    verb = forms.CharField(label=_("操作"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False)
    target_type = forms.CharField(label=_("对象类型"), required=False)
    target_id = forms.CharField(label=_("对象编号"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data

    def apply(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["verb"]:
            queryset = queryset.filter(verb__icontains=data["verb"])
        if data["actor"]:
            queryset = queryset.filter(actor_repr__icontains=data["actor"]) | queryset.filter(
                actor__username=data["actor"]
            )
        if data["target_type"]:
            queryset = queryset.filter(target_type=data["target_type"])
        if data["target_id"]:
            queryset = queryset.filter(target_id=data["target_id"])
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            queryset = queryset.filter(created_at__gte=datetime.combine(data["date_from"], time.min, tz))
        if data["date_to"]:
            queryset = queryset.filter(created_at__lte=datetime.combine(data["date_to"], time.max, tz))
        return queryset


class AuditListView(RoleRequiredMixin, ListView):
    roles = NATIONAL_ROLES
    template_name = "core/audit_list.html"
    paginate_by = 50
    context_object_name = "events"

    def get_queryset(self):
        self.filter_form = AuditFilterForm(self.request.GET or None)
        queryset = AuditEvent.objects.order_by("-seq")
        return self.filter_form.apply(queryset) if self.request.GET.keys() - {"page"} else queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        context["target_types"] = (
            AuditEvent.objects.order_by().values_list("target_type", flat=True).distinct()
        )
        return context


class AuditDetailView(RoleRequiredMixin, DetailView):
    roles = NATIONAL_ROLES
    template_name = "core/audit_detail.html"
    context_object_name = "event"

    def get_object(self, queryset=None):
        return get_object_or_404(AuditEvent, seq=self.kwargs["seq"])


class AuditVerifyView(RoleRequiredMixin, TemplateView):
    """Recomputes the whole chain (read-only); the nightly `verify_audit_chain` does the same."""

    roles = NATIONAL_ROLES
    template_name = "core/audit_verify.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = verify_chain()
        context["checked_at"] = timezone.now()
        return context
