"""我的信用: the applicant's own credit (score, grade and the events that moved it), the consents it
has granted to banks (active, lapsed, withdrawn) with the form granting a new one and a button
withdrawing an active one, and the read log of its report (which bank, who, when, page/PDF/API).

Thin: parse → access → service/selector → render."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from sanpin.accounts.choices import Role
from sanpin.core import clock
from sanpin.core.errors import NotFound
from sanpin.core.views.forms import run_service
from sanpin.core.views.lists import paginate
from sanpin.core.views.mixins import RoleRequiredMixin
from sanpin.core.widgets import DateInput

from . import consent as consents
from . import scoring
from .choices import Grade

APPLICANT = frozenset({Role.APPLICANT})


class ConsentForm(forms.Form):
    """The inputs of a consent; consent_grant validates the bank, the purpose and the day."""

    bank = forms.ModelChoiceField(label=gettext_lazy("金融机构"), queryset=consents.banks(),
                                  empty_label=gettext_lazy("请选择"),
                                  error_messages={"required": gettext_lazy("请选择金融机构"),
                                                  "invalid_choice": gettext_lazy("请选择列表中的金融机构")})
    purpose = forms.CharField(label=gettext_lazy("用途"), max_length=consents.PURPOSE_MAX, required=False,
                              help_text=gettext_lazy("例如：流动资金贷款审批"))
    valid_until = forms.DateField(label=gettext_lazy("授权截止日期"), required=False, widget=DateInput(),
                                  help_text=gettext_lazy("最长一年；到期后金融机构不能再查询"))


def _entity(request):
    if not request.user.entity_id:
        raise NotFound()
    return request.user.entity


def _page(request, form=None, status=200):
    entity = _entity(request)
    today = clock.today()
    result = scoring.score(entity, on=today)
    return render(request, "credit/mine_credit.html", {
        "entity": entity, "today": today, "result": result, "grade_label": Grade(result.grade).label,
        "moved": [(e, p) for e, p in result.contributions if p],
        "consents": consents.consents_of(entity, today),
        "form": form or ConsentForm(initial={"valid_until": consents.one_year_after(today)}),
        "max_day": consents.one_year_after(today),
        "formats": consents.READ_FORMATS,
        **paginate(request, consents.reads_of(entity)),
    }, status=status)


class MyCreditView(RoleRequiredMixin, View):
    roles = APPLICANT

    def get(self, request):
        return _page(request)

    def post(self, request):
        """Grant a consent (ValidationFailed puts the Chinese messages on the form)."""
        entity = _entity(request)
        form = ConsentForm(request.POST)
        outcome = run_service(form, lambda data: consents.consent_grant(
            actor=request.user, entity=entity, bank=data["bank"], purpose=data["purpose"],
            valid_until=data["valid_until"]))
        if not outcome.ok:
            return _page(request, form=form, status=outcome.status)
        consent = outcome.result
        messages.success(request, _("已授权 %(bank)s 查询本单位信用报告，至 %(day)s 止") % {
            "bank": consent.bank.name, "day": consent.valid_until.isoformat()})
        return redirect("credit:mine")


class ConsentWithdrawView(RoleRequiredMixin, View):
    roles = APPLICANT

    def post(self, request, pk):
        consent = consents.consent_for_withdrawal(request.user, pk)
        consents.consent_withdraw(actor=request.user, consent=consent)
        messages.success(request, _("已撤回对 %(bank)s 的授权，对方不能再查询本单位信用报告")
                         % {"bank": consent.bank.name})
        return redirect("credit:mine")
