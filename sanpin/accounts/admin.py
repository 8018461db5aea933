"""Django admin for system administrators: agencies, users with their roles, qualifications."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sanpin.core import audit

from .choices import ExpertSpecialty, LabTest
from .models import Agency, ExpertDraw, ExpertProfile, InspectorQualification, LabDesignation, RoleAssignment, User


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits leave the same audit trail as the services (the admin view is atomic, so
    the event commits with the change). Passwords are never written to the trail."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fields = sorted(name for name in form.changed_data if "password" not in name)
        verb = f"admin.{obj._meta.model_name}_{'change' if change else 'create'}"
        audit.record(actor=request.user, verb=verb, target=obj, new={"fields": fields})

    def delete_model(self, request, obj):
        audit.record(actor=request.user, verb=f"admin.{obj._meta.model_name}_delete", target=obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(actor=request.user, verb=f"admin.{obj._meta.model_name}_delete", target=obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects + [o for o, _fields in formset.changed_objects]:
            audit.record(actor=request.user, verb=f"admin.{obj._meta.model_name}_save", target=obj)
        for obj in formset.deleted_objects:
            audit.record(actor=request.user, verb=f"admin.{obj._meta.model_name}_delete", target=obj)


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "level", "region", "parent", "phone")
    list_filter = ("level",)
    search_fields = ("name", "region__name", "region__code")
    autocomplete_fields = ("parent",)
    raw_id_fields = ("region",)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


class QualificationInline(admin.TabularInline):
    model = InspectorQualification
    extra = 0
    raw_id_fields = ("province",)


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ("username", "display_name", "agency", "entity", "is_active", "last_login")
    list_filter = ("is_active", "is_superuser", "agency__level", "role_assignments__role")
    search_fields = ("username", "display_name", "phone", "email", "agency__name", "entity__name")
    autocomplete_fields = ("agency",)
    raw_id_fields = ("entity",)
    inlines = [RoleAssignmentInline, QualificationInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "phone", "email")}),
        (_("所属单位"), {"fields": ("agency", "entity")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        # The SYSTEM actor is not a person: it is never edited here.
        return super().get_queryset(request).filter(is_system=False).select_related("agency", "entity")


@admin.register(InspectorQualification)
class InspectorQualificationAdmin(AuditedAdmin):
    list_display = ("number", "kind", "user", "province", "valid_from", "valid_until")
    list_filter = ("kind", "province")
    search_fields = ("number", "user__username", "user__display_name")
    raw_id_fields = ("user", "province")


# --- Registries: the expert pool, its draws, designated labs ----------------------------------------


class ExpertProfileForm(forms.ModelForm):
    specialties = forms.MultipleChoiceField(
        label=_("评审专业"), choices=ExpertSpecialty.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个评审专业")},
    )

    class Meta:
        model = ExpertProfile
        fields = ("user", "specialties", "title", "organisation", "entity", "region", "is_active")


@admin.register(ExpertProfile)
class ExpertProfileAdmin(AuditedAdmin):
    form = ExpertProfileForm
    list_display = ("user", "title", "organisation", "specialty_list", "region", "is_active")
    list_filter = ("is_active",)
    search_fields = ("user__username", "user__display_name", "organisation")
    raw_id_fields = ("user", "entity", "region")

    @admin.display(description=_("评审专业"))
    def specialty_list(self, obj):
        return "、".join(obj.specialty_labels())


@admin.register(ExpertDraw)
class ExpertDrawAdmin(admin.ModelAdmin):
    """Draws are evidence: they are read here and never edited or deleted."""

    list_display = ("created_at", "subject_label", "specialty", "size", "actor")
    list_filter = ("specialty",)
    search_fields = ("subject_label",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LabDesignationForm(forms.ModelForm):
    tests = forms.MultipleChoiceField(
        label=_("检测项目"), choices=LabTest.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个检测项目")},
    )

    class Meta:
        model = LabDesignation
        fields = ("lab", "scheme", "tests", "basis", "valid_from", "valid_until", "is_suspended",
                  "suspension_reason")


@admin.register(LabDesignation)
class LabDesignationAdmin(AuditedAdmin):
    form = LabDesignationForm
    list_display = ("lab", "scheme", "test_list", "valid_from", "valid_until", "is_suspended")
    list_filter = ("scheme", "is_suspended")
    search_fields = ("lab__name", "basis")
    raw_id_fields = ("lab",)

    @admin.display(description=_("检测项目"))
    def test_list(self, obj):
        return "、".join(obj.test_labels())
