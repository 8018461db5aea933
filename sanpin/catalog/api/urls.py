from django.urls import path

from . import views

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<region:code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("entities/", views.EntityListCreateView.as_view(), name="entity-list"),
    path("entities/<int:pk>/", views.EntityDetailView.as_view(), name="entity-detail"),
]
