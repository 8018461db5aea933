"""The public statistics page: the country's headline figures (valid products per scheme, new this
year, bases listed, sampling pass rate) with a simple bar chart. Open to everyone; no map (a map
shown to the public needs an approved base map, 审图号) and no breakdown by region."""

from django.views.generic import TemplateView

from sanpin.core import replica
from sanpin.stats.indicators import public_headlines


class StatisticsView(TemplateView):
    template_name = "portal/statistics.html"

    @replica.reads_view
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = public_headlines()
        context.update({"figures": figures, "chart_data": {"schemes": figures["schemes"]}})
        return context
