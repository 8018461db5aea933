from django.urls import path

from . import views_collection as views

urlpatterns = [
    path("bases/collection/cycles/", views.CycleListView.as_view(), name="bases-collection-cycles"),
    path("bases/collection/cycles/<int:pk>/", views.CycleDetailView.as_view(), name="bases-collection-cycle"),
    path("bases/collection/submissions/<int:pk>/<slug:step>/", views.SubmissionStepView.as_view(),
         name="bases-collection-submission-step"),
    path("bases/share/", views.ShareView.as_view(), name="bases-share"),
    path("bases/share/target/", views.ShareTargetView.as_view(), name="bases-share-target"),
    path("bases/production/", views.RegionProductionView.as_view(), name="bases-production"),
]
