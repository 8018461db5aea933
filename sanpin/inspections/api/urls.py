from django.urls import path

from . import views

urlpatterns = [
    path("annual-inspection-plans/", views.PlanListView.as_view(), name="inspection-plan-list"),
    path("annual-inspection-plans/<int:id>/", views.PlanDetailView.as_view(), name="inspection-plan-detail"),
    path("annual-inspection-plans/<int:id>/regenerate/", views.PlanRegenerateView.as_view(),
         name="inspection-plan-regenerate"),
    path("annual-inspection-items/", views.ItemListView.as_view(), name="inspection-item-list"),
    path("annual-inspection-items/<int:id>/", views.ItemDetailView.as_view(), name="inspection-item-detail"),
    path("annual-inspection-items/<int:id>/assign/", views.ItemAssignView.as_view(), name="inspection-item-assign"),
    path("annual-inspection-items/<int:id>/record/", views.ItemRecordView.as_view(), name="inspection-item-record"),
    path("annual-inspection-records/", views.RecordListView.as_view(), name="inspection-record-list"),
    path("stats/annual-inspection-coverage/", views.CoverageView.as_view(), name="stats-annual-inspection-coverage"),
]
