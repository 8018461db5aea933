from django.urls import path

from . import views

urlpatterns = [
    path("bases/", views.BaseListView.as_view(), name="base-list"),
    path("bases/<int:id>/", views.BaseDetailView.as_view(), name="base-detail"),
    path("bases/<int:id>/apply/", views.BaseApplyView.as_view(), name="base-apply"),
    path("bases/<int:id>/checks/", views.BaseCheckView.as_view(), name="base-check"),
    path("bases/<int:id>/remove/", views.BaseRemoveView.as_view(), name="base-remove"),
]
