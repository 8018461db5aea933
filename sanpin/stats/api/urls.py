from django.urls import path

from .views import FirstPassRatesView, IndicatorsView, RenewalRatesView, StepTimelinessView, TargetsView

urlpatterns = [
    path("stats/first-pass-rates/", FirstPassRatesView.as_view(), name="stats-first-pass-rates"),
    path("stats/renewal-rates/", RenewalRatesView.as_view(), name="stats-renewal-rates"),
    path("stats/step-timeliness/", StepTimelinessView.as_view(), name="stats-step-timeliness"),
    path("stats/indicators/", IndicatorsView.as_view(), name="stats-indicators"),
    path("stats/targets/", TargetsView.as_view(), name="stats-targets"),
]
