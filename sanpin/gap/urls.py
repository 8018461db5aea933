from django.urls import path

from . import views

app_name = "gap"
urlpatterns = [
    path("", views.GAPListView.as_view(), name="list"),
    path("new/", views.GAPCreateView.as_view(), name="create"),
    path("<int:pk>/", views.GAPDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.GAPEditView.as_view(), name="edit"),
    path("<int:pk>/end/", views.GAPEndView.as_view(), name="end"),
]
