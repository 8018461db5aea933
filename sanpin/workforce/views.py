"""Pages: labs with their oversight record (national staff), people with their training and
yearly performance, and expert participation (national and provincial staff, each their scope).

Thin: parse → access (selectors: 403 wrong role, 404 out of scope) → service → render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.catalog.models import Region
from sanpin.core import clock
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import performance, selectors, services
from .choices import LAB_ROLES, PEOPLE_ROLES
from .forms import LabInspectionForm, PeopleFilterForm, ProficiencyTestForm, TrainingForm, VoidForm, YearForm
from .models import LabInspection, ProficiencyTest


def _year(form) -> int:
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return clock.today().year


class LabListView(RoleRequiredMixin, View):
    """Testing labs: designations and whether each may be assigned today."""

    roles = LAB_ROLES

    def get(self, request):
        today = clock.today()
        q = request.GET.get("q", "").strip()
        rows = selectors.labs(request.user)
        if q:
            rows = rows.filter(name__icontains=q)
        context = paginate(request, rows, keep_query=False)
        context["rows"] = [selectors.lab_standing(lab, today) for lab in context["page_obj"]]
        context.update(q=q, today=today)
        return render(request, "workforce/labs.html", context)


def _lab_detail(request, lab, *, pt_form=None, inspection_form=None, status=200):
    today = clock.today()
    return render(request, "workforce/lab_detail.html", {
        "lab": lab, "standing": selectors.lab_standing(lab, today), "today": today,
        "tests": selectors.proficiency_tests(request.user).filter(lab=lab),
        "inspections": selectors.lab_inspections(request.user).filter(lab=lab),
        "pt_form": pt_form or ProficiencyTestForm(initial={"tested_on": today}),
        "inspection_form": inspection_form or LabInspectionForm(initial={"inspected_on": today}),
        "void_form": VoidForm(),
    }, status=status)


class LabDetailView(RoleRequiredMixin, View):
    roles = LAB_ROLES

    def get(self, request, pk):
        return _lab_detail(request, selectors.lab(request.user, pk))


class ProficiencyTestCreateView(RoleRequiredMixin, View):
    roles = LAB_ROLES

    def post(self, request, pk):
        lab = selectors.lab(request.user, pk)
        form = ProficiencyTestForm(request.POST)
        outcome = run_service(form, lambda data: services.proficiency_test_record(
            actor=request.user, lab=lab, **data))
        if outcome.ok:
            messages.success(request, _("已录入能力验证结果"))
            return redirect("workforce:lab", pk=lab.pk)
        return _lab_detail(request, lab, pt_form=form, status=outcome.status)


class LabInspectionCreateView(RoleRequiredMixin, View):
    roles = LAB_ROLES

    def post(self, request, pk):
        lab = selectors.lab(request.user, pk)
        form = LabInspectionForm(request.POST)
        outcome = run_service(form, lambda data: services.lab_inspection_record(
            actor=request.user, lab=lab, **data))
        if outcome.ok:
            messages.success(request, _("已录入飞行检查结果"))
            return redirect("workforce:lab", pk=lab.pk)
        return _lab_detail(request, lab, inspection_form=form, status=outcome.status)


class _VoidView(RoleRequiredMixin, View):
    roles = LAB_ROLES
    model = None

    def post(self, request, pk):
        record = selectors.proficiency_test(request.user, pk, "change") if self.model is ProficiencyTest \
            else selectors.lab_inspection(request.user, pk, "change")
        form = VoidForm(request.POST)
        outcome = run_service(form, lambda data: services.lab_record_void(
            actor=request.user, record=record, reason=data["reason"]))
        if outcome.ok:
            messages.success(request, _("已作废该记录"))
        else:
            errors = [str(m) for messages_ in form.errors.values() for m in messages_]
            messages.error(request, "；".join(errors) or _("作废失败"))
        return redirect("workforce:lab", pk=record.lab_id)


class ProficiencyTestVoidView(_VoidView):
    model = ProficiencyTest


class LabInspectionVoidView(_VoidView):
    model = LabInspection


class PeopleView(RoleRequiredMixin, View):
    """Registered inspectors, supervisors and internal inspectors with the year's figures."""

    roles = PEOPLE_ROLES

    def get(self, request):
        form = PeopleFilterForm(request.GET or None, initial={"year": clock.today().year})
        year = _year(form)
        group = form.cleaned_data.get("group", "") if form.is_valid() else ""
        q = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
        context = paginate(request, selectors.people(request.user, group=group, q=q), keep_query=False)
        persons = list(context["page_obj"])
        context["rows"] = performance.inspector_years(persons, year, selectors.trainings(request.user))
        context.update(form=form, year=year)
        return render(request, "workforce/people.html", context)


def _person_detail(request, person, year, *, training_form=None, status=200):
    provinces = Region.objects.filter(code__in=selectors.person_provinces(request.user, person)).order_by("code")
    figures = performance.inspector_years([person], year, selectors.trainings(request.user))[0]
    return render(request, "workforce/person_detail.html", {
        "person": person, "year": year, "figures": figures, "year_form": YearForm(initial={"year": year}),
        "qualifications": selectors.person_qualifications(request.user, person),
        "trainings": selectors.trainings(request.user).filter(person=person),
        "training_form": training_form or TrainingForm(provinces=provinces),
    }, status=status)


class PersonDetailView(RoleRequiredMixin, View):
    roles = PEOPLE_ROLES

    def get(self, request, pk):
        return _person_detail(request, selectors.person(request.user, pk), _year(YearForm(request.GET or None)))


class TrainingCreateView(RoleRequiredMixin, View):
    roles = PEOPLE_ROLES

    def post(self, request, pk):
        person = selectors.person(request.user, pk)
        provinces = Region.objects.filter(code__in=selectors.person_provinces(request.user, person))
        form = TrainingForm(request.POST, provinces=provinces)

        def record(data):
            province = provinces.get(code=data.pop("province"))
            return services.training_record(actor=request.user, person=person, province=province, **data)

        outcome = run_service(form, record)
        if outcome.ok:
            messages.success(request, _("已录入培训记录"))
            return redirect("workforce:person", pk=person.pk)
        return _person_detail(request, person, clock.today().year, training_form=form, status=outcome.status)


class ExpertsView(RoleRequiredMixin, View):
    """Expert participation in the year: panels drawn onto, served, opinions and on time."""

    roles = PEOPLE_ROLES

    def get(self, request):
        form = YearForm(request.GET or None, initial={"year": clock.today().year})
        year = _year(form)
        context = paginate(request, selectors.experts(request.user), keep_query=False)
        profiles = list(context["page_obj"])
        context["rows"] = list(zip(performance.expert_years([p.user for p in profiles], year), profiles, strict=True))
        context.update(form=form, year=year)
        return render(request, "workforce/experts.html", context)
