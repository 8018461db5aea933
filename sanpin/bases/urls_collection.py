from django.urls import path

from . import views_collection as views

urlpatterns = [
    path("collection/", views.CollectionView.as_view(), name="collection"),
    path("collection/open/", views.CollectionOpenView.as_view(), name="collection_open"),
    path("collection/<int:pk>/", views.CycleDetailView.as_view(), name="collection_cycle"),
    path("collection/submissions/<int:pk>/<slug:action>/", views.SubmissionActionView.as_view(),
         name="collection_act"),
    path("share/", views.ShareView.as_view(), name="share"),
    path("share/production/", views.ShareProductionView.as_view(), name="share_production"),
    path("share/target/", views.ShareTargetView.as_view(), name="share_target"),
    path("share/export/", views.ShareExportView.as_view(), name="share_export"),
]
