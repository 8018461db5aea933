"""The /api/v1/ tree: each domain app contributes its own api/urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("sanpin.accounts.api.urls")),
    path("", include("sanpin.catalog.api.urls")),
    path("", include("sanpin.core.api.urls")),
    path("", include("sanpin.certificates.api.urls")),
    path("", include("sanpin.certification.api.urls")),
    path("", include("sanpin.stats.api.urls")),
    path("", include("sanpin.notifications.api.urls")),
    path("", include("sanpin.subscriptions.api.urls")),
    path("", include("sanpin.records_import.api.urls")),
    path("", include("sanpin.gi.api.urls")),
    path("", include("sanpin.gap.api.urls")),
    path("", include("sanpin.featured.api.urls")),
    path("", include("sanpin.bases.api.urls")),
    path("", include("sanpin.supervision.api.urls")),
    path("", include("sanpin.inspections.api.urls")),
    path("", include("sanpin.sampling.api.urls")),
    path("", include("sanpin.oversight.api.urls")),
    path("", include("sanpin.compliance.api.urls")),
    path("", include("sanpin.credit.api.urls")),
    path("", include("sanpin.workforce.api.urls")),
    path("", include("sanpin.inputs.api.urls")),
    path("", include("sanpin.market.api.urls")),
    path("", include("sanpin.promotion.api.urls")),
    path("", include("sanpin.knowledge.api.urls")),
    path("", include("sanpin.portal.api.urls")),
]
