from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.OpenDataIndexView.as_view(), name="index"),
    path("<str:name>", views.OpenDataFileView.as_view(), name="file"),
]
