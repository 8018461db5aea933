from django.urls import path

from . import views

urlpatterns = [
    path("public/standards/", views.PublicStandardListView.as_view(), name="public-standard-list"),
    path("public/procedures/", views.PublicProcedureListView.as_view(), name="public-procedure-list"),
    path("knowledge/distributions/", views.DistributionView.as_view(), name="knowledge-distribution-list"),
    path("knowledge/distributions/<int:pk>/", views.DistributionDetailView.as_view(),
         name="knowledge-distribution-detail"),
    path("knowledge/coverage/", views.CoverageView.as_view(), name="knowledge-coverage"),
]
