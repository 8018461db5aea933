"""Staff award-list pages: the lists of the user's region, drafting one, adding and removing its
entries, and publishing it. Thin: parse → access → service/selector → render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from sanpin.certificates.models import Certificate
from sanpin.core import clock
from sanpin.core.errors import NotFound, ValidationFailed
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin

from . import awards, selectors
from .checks import certificate_problem
from .choices import AwardListStatus
from .forms import AwardEntryForm, AwardListForm
from .models import ORGANISED_ACTIONS

STAFF = ORGANISED_ACTIONS["manage"]


def _list_page(request, form=None, status=200):
    return render(request, "promotion/manage_awards.html", {
        "form": form or AwardListForm(user=request.user),
        **paginate(request, selectors.staff_award_lists(request.user)),
    }, status=status)


class AwardListManageListView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request):
        return _list_page(request)


class AwardListCreateView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request):
        form = AwardListForm(request.POST, user=request.user)
        outcome = run_service(form, lambda data: awards.award_list_create(actor=request.user, **data))
        if outcome.ok:
            messages.success(request, _("已创建名单草稿，请添加获奖产品后发布"))
            return redirect("promotion:manage_award_list", pk=outcome.result.pk)
        return _list_page(request, form, status=outcome.status)


def _detail(request, award_list, *, entry_form=None, publish_errors=None, status=200):
    today = clock.today()
    entries = list(selectors.award_entries(award_list))
    for entry in entries:  # what would stop the list from being published today
        entry.problem = certificate_problem(entry.certificate, on=today)
    return render(request, "promotion/manage_award_list.html", {
        "award_list": award_list, "entries": entries, "today": today,
        "draft": award_list.status == AwardListStatus.DRAFT,
        "entry_form": entry_form or AwardEntryForm(), "publish_errors": publish_errors or [],
    }, status=status)


class AwardListManageView(RoleRequiredMixin, View):
    roles = STAFF

    def get(self, request, pk):
        return _detail(request, selectors.managed_award_list(request.user, pk))


def _certificate(number: str):
    number = (number or "").strip()
    return Certificate.objects.filter(number=number, renewed=False).select_related("holder").first() if number \
        else None


class AwardEntryAddView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request, pk):
        award_list = selectors.managed_award_list(request.user, pk)
        form = AwardEntryForm(request.POST)

        def add(data):
            certificate = _certificate(data["number"])
            if certificate is None and data["number"]:
                raise ValidationFailed(fields={"number": _("未找到证书 %(n)s") % {"n": data["number"]}})
            return awards.award_entry_add(actor=request.user, award_list=award_list, certificate=certificate,
                                          product=data["product"], award=data["award"], rank=data["rank"])

        outcome = run_service(form, add, rename={"certificate": "number"})
        if outcome.ok:
            messages.success(request, _("已添加 %(p)s") % {"p": outcome.result.product})
            return redirect("promotion:manage_award_list", pk=award_list.pk)
        return _detail(request, award_list, entry_form=form, status=outcome.status)


class AwardEntryRemoveView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request, pk, item_id):
        award_list = selectors.managed_award_list(request.user, pk)
        entry = award_list.entries.filter(pk=item_id).first()
        if entry is None:
            raise NotFound()
        awards.award_entry_remove(actor=request.user, entry=entry)
        messages.success(request, _("已移除 %(p)s") % {"p": entry.product})
        return redirect("promotion:manage_award_list", pk=award_list.pk)


class AwardListPublishView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request, pk):
        award_list = selectors.managed_award_list(request.user, pk)
        try:
            awards.award_list_publish(actor=request.user, award_list=award_list)
        except ValidationFailed as exc:
            problems = [m for messages_ in exc.fields.values() for m in messages_] or [exc.message]
            return _detail(request, award_list, publish_errors=[exc.message, *problems], status=400)
        messages.success(request, _("名单已发布，公众可在“品鉴评优获奖名单”中查看"))
        return redirect("promotion:manage_award_list", pk=award_list.pk)
