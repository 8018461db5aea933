"""Public credit information (信用信息公示): the A list and the revocations, searchable, no sign-in."""

from django.shortcuts import render
from django.views import View

from sanpin.core import clock
from sanpin.core.views.lists import paginate

from . import credit

PAGE_SIZE = 20


class CreditInfoView(View):
    """`?tab=a` (default) the 守信主体名单, `?tab=revocations` the revocations; `q` and `region`."""

    def get(self, request):
        today = clock.today()
        tab = credit.TAB_REVOCATIONS if request.GET.get("tab") == credit.TAB_REVOCATIONS else credit.TAB_A_LIST
        form = credit.CreditSearchForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = credit.a_list(**filters, today=today) if tab == credit.TAB_A_LIST else credit.revocations(**filters)
        if form.is_bound and not form.is_valid():
            rows = rows.none()
        context = paginate(request, rows, size=PAGE_SIZE)
        page = context["page_obj"]
        page.rows = (credit.public_holders(list(page), today) if tab == credit.TAB_A_LIST
                     else [credit.public_revocation(r) for r in page])
        return render(request, "portal/credit.html", {**context, "form": form, "tab": tab, "today": today})
