from django.urls import path

from . import views

urlpatterns = [
    path("", views.BaseListView.as_view(), name="list"),
    path("new/", views.BaseCreateView.as_view(), name="create"),
    path("<int:pk>/", views.BaseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.BaseEditView.as_view(), name="edit"),
    path("<int:pk>/apply/", views.BaseApplyView.as_view(), name="apply"),
    path("<int:pk>/checks/", views.BaseCheckView.as_view(), name="check"),
    path("<int:pk>/remove/", views.BaseRemoveView.as_view(), name="remove"),
]
