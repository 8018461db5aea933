from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="plans"),
    path("plans/new/", views.PlanGenerateView.as_view(), name="plan_generate"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan"),
    path("plans/<int:pk>/regenerate/", views.PlanRegenerateView.as_view(), name="plan_regenerate"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item"),
    path("items/<int:pk>/assign/", views.ItemAssignView.as_view(), name="item_assign"),
    path("items/<int:pk>/record/", views.ItemRecordView.as_view(), name="item_record"),
    path("mine/", views.MyInspectionsView.as_view(), name="mine"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
]
