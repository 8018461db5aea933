"""Staff credit pages: the entities of a region with their grades (read from the standing cache),
an entity's credit file (score and grade on any day under any rulebook version, what moved the
score, every event with a link to its source, and the manual event form), and the rulebook with
its versions and, for national staff, the form publishing the next version.

Thin: parse → access → service/selector → render. Domain errors escaping a view become 403/404/409
in sanpin.core.middleware."""

import contextlib
import datetime

from django.contrib import messages
from django.db.models import Max, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from sanpin.accounts.choices import NATIONAL_ROLES, STAFF_ROLES
from sanpin.catalog.choices import RegionLevel
from sanpin.catalog.models import Region
from sanpin.core import clock
from sanpin.core.access import ALL, REGION, scope_for
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import rulebook as rulebooks
from . import scoring, selectors, services
from .choices import GRADES_ABOVE_D, CreditKind, Grade
from .forms import CreditEventForm, CreditFileForm, RulebookForm, StandingFilterForm
from .models import CREDIT_ACTIONS, CreditEvent, CreditStanding, Rulebook

# Staff who read credit files (the entity's own applicant reads its file on its own page).
STAFF = CREDIT_ACTIONS["view"] & STAFF_ROLES


def _region_choices(user) -> list[tuple[str, str]]:
    """The regions a member of staff may filter by: provinces and cities for national staff, the
    cities and counties of a province, the counties of a city."""
    scope = scope_for(user, "view", CreditStanding)
    if scope.kind == ALL:
        rows = Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.CITY])
    elif scope.kind == REGION:
        rows = Region.objects.filter(code__startswith=scope.value, level__in=[RegionLevel.CITY, RegionLevel.COUNTY])
    else:
        return []
    return [(code, name if level == RegionLevel.PROVINCE or (scope.kind == REGION and level == RegionLevel.CITY)
             else f"　{name}") for code, name, level in rows.filter(is_active=True).order_by("code")
            .values_list("code", "name", "level")]


def standings(user, *, q: str = "", grade: str = "", region: str = ""):
    """The standing rows of the entities in `user`'s scope, with the day of each one's latest event."""
    latest = (CreditEvent.objects.filter(entity=OuterRef("entity")).order_by().values("entity")
              .annotate(day=Max("occurred_on")).values("day"))
    rows = (CreditStanding.objects.restrict(user, "view").select_related("entity", "entity__region")
            .annotate(last_event_on=Subquery(latest)))
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(entity__name__icontains=q) | Q(entity__uscc__iexact=q) | Q(entity__uscc__istartswith=q))
    if grade:
        rows = rows.filter(grade=grade)
    if region:
        area = Region.objects.filter(code=region).first()
        rows = rows.filter(entity__region__code__startswith=area.scope_prefix) if area else rows.none()
    return rows.order_by("grade", "score", "entity__name")


class StandingListView(RoleRequiredMixin, View):
    """Entities in scope with their grade, score and latest event; filtered, searched, paginated."""

    roles = STAFF

    def get(self, request):
        form = StandingFilterForm(request.GET or None, region_choices=_region_choices(request.user))
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = standings(request.user, **data)
        if form.is_bound and not form.is_valid():
            rows = rows.none()
        return render(request, "credit/staff_list.html", {
            "form": form, **paginate(request, rows), "today": clock.today(),
            "rulebook": rulebooks.in_force(clock.today()),
        })


# --- the credit file ------------------------------------------------------------------------------


def _source_links(events) -> dict[int, str]:
    """{event id: URL of the record it came from} for the sources that have a page."""
    from sanpin.sampling.models import LabReport

    report_ids = {e.source_id for e in events if e.source_type == "sampling.labreport"}
    tasks = dict(LabReport.objects.filter(pk__in=report_ids).values_list("pk", "task_id")) if report_ids else {}
    pages = {
        "sampling.labreport": lambda sid: ("sampling:task", [tasks[int(sid)]]) if int(sid) in tasks else None,
        "supervision.rectification": lambda sid: ("supervision:rectification", [int(sid)]),
        "supervision.revocationrequest": lambda sid: ("supervision:revocation", [int(sid)]),
        "compliance.violation": lambda sid: ("compliance:violations", []),
    }
    links = {}
    for event in events:
        page = pages.get(event.source_type)
        target = page(event.source_id) if page and event.source_id.isdigit() else None
        if target:
            with contextlib.suppress(NoReverseMatch):  # an app not installed in this deployment
                links[event.pk] = reverse(target[0], args=target[1])
    return links


def may_record(user, entity) -> bool:
    """Provincial staff of the entity's province and national staff (as the service checks)."""
    scope = scope_for(user, "record", CreditEvent)
    return scope.kind == ALL or (scope.kind == REGION and (entity.region_id or "").startswith(scope.value))


def _file(request, entity, *, event_form=None, status=200):
    today = clock.today()
    versions = list(Rulebook.objects.order_by("-version"))
    form = CreditFileForm(request.GET or None, versions=versions, initial={"on": today})
    on, rulebook = today, None
    if form.is_bound and form.is_valid():
        on = form.cleaned_data["on"] or today
        if form.cleaned_data["version"]:
            rulebook = next((v for v in versions if v.version == form.cleaned_data["version"]), None)
    rulebook = rulebook or rulebooks.in_force(on)
    result = scoring.score(entity, on=on, rulebook=rulebook)
    events = list(CreditEvent.objects.filter(entity=entity).select_related("recorded_by")
                  .order_by("-occurred_on", "-pk"))
    points = {event.pk: p for event, p in result.contributions}
    links = _source_links(events)
    rows = [{"event": e, "points": points.get(e.pk), "weight": (rulebook.weights or {}).get(e.kind),
             "link": links.get(e.pk), "after": e.occurred_on > on} for e in events]
    recordable = may_record(request.user, entity)
    return render(request, "credit/staff_file.html", {
        "entity": entity, "result": result, "grade_label": Grade(result.grade).label, "on": on, "today": today,
        "rulebook": rulebook, "in_force": rulebooks.in_force(on), "form": form,
        "moved": [(e, p, links.get(e.pk)) for e, p in result.contributions if p],
        "rows": rows, "standing": CreditStanding.objects.filter(entity=entity).first(),
        "thresholds": [(g, rulebook.thresholds.get(g)) for g in GRADES_ABOVE_D],
        "event_form": event_form or (CreditEventForm(initial={"occurred_on": today}) if recordable else None),
    }, status=status)


class CreditFileView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request, pk):
        return _file(request, selectors.credit_entity(request.user, pk))


class CreditEventCreateView(RoleRequiredMixin, View):
    """A manual event (provincial staff of the entity's province, national staff)."""

    roles = CREDIT_ACTIONS["record"]

    def post(self, request, pk):
        entity = selectors.credit_entity(request.user, pk)
        form = CreditEventForm(request.POST)
        outcome = run_service(form, lambda data: services.credit_event_record(
            actor=request.user, entity=entity, **data))
        if outcome.ok:
            messages.success(request, _("已录入信用事件：%(kind)s") % {"kind": CreditKind(outcome.result.kind).label})
            return redirect("credit:file", pk=entity.pk)
        return _file(request, entity, event_form=form, status=outcome.status)


# --- the rulebook ---------------------------------------------------------------------------------


def _rulebook_page(request, *, form=None, status=200):
    today = clock.today()
    versions = list(Rulebook.objects.select_related("created_by").order_by("-version"))
    if not versions:
        versions = [rulebooks.default_rulebook()]
    current = rulebooks.in_force(today)
    national = bool(request.user.roles & NATIONAL_ROLES)
    return render(request, "credit/rulebook.html", {
        "versions": versions, "current": current, "today": today,
        "weight_rows": [(kind, [(v.weights or {}).get(kind.value) for v in versions]) for kind in CreditKind],
        "grades": Grade.values, "grades_above_d": GRADES_ABOVE_D, "may_publish": national,
        "form": form,
    }, status=status)


class RulebookView(RoleRequiredMixin, View):
    """The versions: which is in force today, their effective dates, weights, thresholds, sampling
    weights and effects."""

    roles = STAFF

    def get(self, request):
        return _rulebook_page(request)


class RulebookPublishView(RoleRequiredMixin, View):
    """The next version, pre-filled from the one in force (national staff)."""

    roles = NATIONAL_ROLES

    def _page(self, request, form, status=200):
        return render(request, "credit/rulebook_form.html", {
            "form": form, "current": rulebooks.in_force(clock.today()), "grades": Grade.values,
        }, status=status)

    def get(self, request):
        today = clock.today()
        current = rulebooks.in_force(today)
        return self._page(request, RulebookForm(initial=RulebookForm.initial_from(
            current, effective_from=today + datetime.timedelta(days=1))))

    def post(self, request):
        form = RulebookForm(request.POST)
        outcome = run_service(form, lambda data: services.rulebook_publish(actor=request.user, **form.service_data()))
        if outcome.ok:
            messages.success(request, _("已发布第 %(v)d 版信用评价规则，自 %(d)s 起施行") % {
                "v": outcome.result.version, "d": outcome.result.effective_from.isoformat()})
            return redirect("credit:rulebook")
        return self._page(request, form, status=outcome.status)

