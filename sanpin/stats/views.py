"""Staff statistics pages: review quality [001 §7] — one-time pass rates and renewal rates per
region, and step timeliness per responsible agency, for a chosen year, within the user's region."""

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from sanpin.core import clock, replica
from sanpin.core.views.mixins import RoleRequiredMixin

from .api.views import STATS_ROLES, region_in_scope
from .review_quality import first_pass_rates, renewal_rates
from .timeliness import step_timeliness

FIRST_YEAR = 2015  # the year selector starts here; older years can still be asked for by URL


class ReviewQualityView(RoleRequiredMixin, TemplateView):
    roles = STATS_ROLES
    template_name = "stats/review_quality.html"

    def _year(self, this_year: int) -> tuple[int, str]:
        raw = self.request.GET.get("year", "")
        if not raw:
            return this_year, ""
        if raw.isdigit() and 2000 <= int(raw) <= 2100:
            return int(raw), ""
        return this_year, _("年份应为 2000–2100 的整数，已显示今年")

    @replica.reads_view
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_year = clock.today().year
        year, year_error = self._year(this_year)
        region = region_in_scope(self.request.user, self.request.GET.get("region", "").strip())
        first_rows = [
            {"rates": r, "reasons": _reasons(r)}
            for r in first_pass_rates(year=year, region=region)
        ]
        context.update({
            "year": year, "year_error": year_error, "region": region,
            "year_options": list(range(max(this_year + 1, year), min(FIRST_YEAR, year) - 1, -1)),
            "first_rows": first_rows,
            "renewal_rows": renewal_rates(year=year, region=region),
            "timeliness_rows": step_timeliness(year=year, region=region),
        })
        return context


def _reasons(rates) -> list[str]:
    reasons = []
    for label, rate in ((_("首次申请"), rates.first), (_("续展申请"), rates.renewal)):
        if rate.flagged:
            reasons.append(_("%(kind)s一次性通过率 %(percent)s%% 低于 %(threshold)s%%") % {
                "kind": label, "percent": rate.percent, "threshold": int(rate.threshold)})
    return reasons
