"""Pages of the yearly base information collection and of the production share per city.

Thin: parse → access → service/selector → render. A submission outside the user's region is 404,
a step the user is not the party for 403, a step the status does not allow 409 (the message shown
on the cycle's page)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from sanpin.core.errors import NotFound
from sanpin.core.views.forms import run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import collection
from .choices import SubmissionStatus
from .forms_collection import CycleOpenForm, RegionProductionForm, ShareQueryForm, ShareTargetForm, SubmissionActionForm
from .models import COLLECTION_ACTIONS, CollectionCycle
from .share import choose, production_regions, share_provinces, share_table, share_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIONS = {
    "submit": lambda user, s, data: collection.submission_submit(actor=user, submission=s),
    "return": lambda user, s, data: collection.submission_return(actor=user, submission=s, comment=data["comment"]),
    "review": lambda user, s, data: collection.submission_review(actor=user, submission=s, comment=data["comment"]),
}
DONE = {"submit": gettext_lazy("已提交复核"), "return": gettext_lazy("已退回"), "review": gettext_lazy("已复核通过")}


class CollectionView(RoleRequiredMixin, View):
    """The cycles the user can see, with their progress; a form to open one for province staff."""

    roles = COLLECTION_ACTIONS["view"]

    def render_page(self, request, form=None, status=200):
        reviewed, returned = Q(submissions__status=SubmissionStatus.REVIEWED), Q(
            submissions__status=SubmissionStatus.RETURNED)
        submitted = Q(submissions__status=SubmissionStatus.SUBMITTED)
        cycles = collection.visible_cycles(request.user).annotate(
            counties=Count("submissions"), reviewed=Count("submissions", filter=reviewed),
            submitted=Count("submissions", filter=submitted), returned=Count("submissions", filter=returned))
        provinces = collection.may_open_cycle(request.user)
        if form is None and provinces:
            form = CycleOpenForm(provinces=provinces)
        return render(request, "bases/collection_list.html", {"cycles": cycles, "open_form": form}, status=status)

    def get(self, request):
        return self.render_page(request)


class CollectionOpenView(CollectionView):
    def post(self, request):
        form = CycleOpenForm(request.POST, provinces=collection.may_open_cycle(request.user))
        outcome = run_service(form, lambda data: collection.cycle_open(
            actor=request.user, province=data["province"], year=data["year"], due_on=data["due_on"]))
        if outcome.ok:
            cycle = outcome.result
            messages.success(request, _("已开启 %(c)s 年度信息采集，共 %(n)d 个县（市、区）") % {
                "c": cycle, "n": cycle.submissions.count()})
            return redirect("bases:collection_cycle", pk=cycle.pk)
        return self.render_page(request, form, outcome.status)


def _cycle_page(request, cycle: CollectionCycle, *, error_for=None, error_form=None, status=200):
    user = request.user
    with_agency = collection.agency_regions(cycle.province_id)
    rows = []
    for submission in collection.cycle_submissions(user, cycle):
        status_ok_submit = submission.status in collection.SUBMITTABLE
        can_submit = status_ok_submit and collection.may_submit(user, submission, with_agency)
        can_decide = (submission.status == SubmissionStatus.SUBMITTED
                      and collection.may_review(user, submission, with_agency))
        form = error_form if error_for == submission.pk else SubmissionActionForm()
        rows.append({
            "s": submission, "events": list(submission.events.all()), "can_submit": can_submit,
            "can_decide": can_decide, "form": form,
            "live": collection.live_totals(submission.county_id) if can_submit else None,
        })
    summary = {label: sum(1 for r in rows if r["s"].status == value) for value, label in SubmissionStatus.choices}
    return render(request, "bases/collection_cycle.html", {
        "cycle": cycle, "rows": rows, "summary": summary, "error_for": error_for,
        "share_url": reverse("bases:share") + "?" + urlencode({"province": cycle.province_id, "year": cycle.year}),
    }, status=status)


class CycleDetailView(RoleRequiredMixin, View):
    roles = COLLECTION_ACTIONS["view"]

    def get(self, request, pk):
        return _cycle_page(request, collection.visible_cycle(request.user, pk))


class SubmissionActionView(RoleRequiredMixin, View):
    """Submit, return (comment required) or review one county's submission."""

    roles = COLLECTION_ACTIONS["change"]

    def post(self, request, pk, action):
        if action not in ACTIONS:
            raise NotFound()
        submission = collection.visible_submission(request.user, pk)
        form = SubmissionActionForm(request.POST)
        outcome = run_service(form, lambda data: ACTIONS[action](request.user, submission, data))
        if outcome.ok:
            messages.success(request, _("%(c)s：%(done)s") % {"c": submission.county.name, "done": DONE[action]})
            return redirect(reverse("bases:collection_cycle", args=[submission.cycle_id]) + f"#s{submission.pk}")
        return _cycle_page(request, submission.cycle, error_for=submission.pk, error_form=form,
                           status=outcome.status)


# --- share ------------------------------------------------------------------------------------------


def _share_page(request, province, year, *, production_form=None, target_form=None, status=200):
    user = request.user
    table = share_table(province=province, year=year)
    regions = production_regions(user, province)
    if production_form is None and regions:
        production_form = RegionProductionForm(regions=regions, initial={"year": year})
    may_target = collection.is_national(user) or collection.is_province_staff(user, province.code)
    if target_form is None and may_target:
        target_form = ShareTargetForm(initial={"province": province.code, "year": year,
                                               "min_percent": table.target_percent or ""})
    query = {"province": province.code, "year": year}
    return render(request, "bases/share.html", {
        "table": table, "query_form": ShareQueryForm(initial=query, provinces=share_provinces(user)),
        "production_form": production_form, "target_form": target_form,
        "export_url": reverse("bases:share_export") + "?" + urlencode(query),
    }, status=status)


class ShareView(RoleRequiredMixin, View):
    roles = COLLECTION_ACTIONS["view"]

    def get(self, request):
        province, year = choose(request.user, request.GET)
        return _share_page(request, province, year)


def _back_to_share(province_code, year):
    return redirect(reverse("bases:share") + "?" + urlencode({"province": province_code, "year": year}))


class ShareProductionView(RoleRequiredMixin, View):
    roles = COLLECTION_ACTIONS["change"]

    def post(self, request):
        region = request.POST.get("region", "").strip()
        province, year = choose(request.user, {"province": region[:2] + "0000" if region else "",
                                                "year": request.POST.get("year", "")})
        form = RegionProductionForm(request.POST, regions=production_regions(request.user, province))
        outcome = run_service(form, lambda data: collection.region_production_set(actor=request.user, **data))
        if outcome.ok:
            row = outcome.result
            messages.success(request, _("已保存%(r)s %(y)d 年食用农产品生产总量") % {
                "r": row.region.name, "y": row.year})
            return _back_to_share(province.code, row.year)
        return _share_page(request, province, year, production_form=form, status=outcome.status)


class ShareTargetView(RoleRequiredMixin, View):
    roles = COLLECTION_ACTIONS["change"]

    def post(self, request):
        province, year = choose(request.user, {"province": request.POST.get("province", ""),
                                                "year": request.POST.get("year", "")})
        form = ShareTargetForm(request.POST)
        outcome = run_service(form, lambda data: collection.share_target_set(actor=request.user, **data))
        if outcome.ok:
            messages.success(request, _("已设定 %(y)d 年度占比目标") % {"y": outcome.result.year})
            return _back_to_share(province.code, outcome.result.year)
        return _share_page(request, province, year, target_form=form, status=outcome.status)


class ShareExportView(RoleRequiredMixin, View):
    """GET ?province=&year=: the share table as xlsx."""

    roles = COLLECTION_ACTIONS["view"]

    def get(self, request):
        province, year = choose(request.user, request.GET)
        response = HttpResponse(share_workbook(share_table(province=province, year=year)), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="base-share-{province.code}-{year}.xlsx"'
        return response
