from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from sanpin.certificates.views import ScanView

urlpatterns = [
    path("", include("sanpin.portal.urls")),
    path("accounts/", include("sanpin.accounts.urls")),
    path("catalog/", include("sanpin.catalog.urls")),
    path("core/", include("sanpin.core.urls")),
    path("certificates/", include("sanpin.certificates.urls")),
    path("certification/", include("sanpin.certification.urls")),
    path("v/<str:number>/", ScanView.as_view(), name="verify-scan"),
    path("notifications/", include("sanpin.notifications.urls")),
    path("subscriptions/", include("sanpin.subscriptions.urls")),
    path("records-import/", include("sanpin.records_import.urls")),
    path("gi/", include("sanpin.gi.urls")),
    path("gap/", include("sanpin.gap.urls")),
    path("featured/", include("sanpin.featured.urls")),
    path("bases/", include("sanpin.bases.urls")),
    path("credit/", include("sanpin.credit.urls")),
    path("supervision/", include("sanpin.supervision.urls")),
    path("inspections/", include("sanpin.inspections.urls")),
    path("sampling/", include("sanpin.sampling.urls")),
    path("oversight/", include("sanpin.oversight.urls")),
    path("open-data/", include("sanpin.opendata.urls")),
    path("traceability/", include("sanpin.traceability.urls")),
    path("workforce/", include("sanpin.workforce.urls")),
    path("", include("sanpin.compliance.urls")),
    path("stats/", include("sanpin.stats.urls")),
    path("market/", include("sanpin.market.urls")),
    path("promotion/", include("sanpin.promotion.urls")),
    path("knowledge/", include("sanpin.knowledge.urls")),
    path("inputs/", include("sanpin.inputs.urls")),
    path("api/v1/", include("sanpin.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]
