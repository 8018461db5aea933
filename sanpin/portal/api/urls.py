from django.urls import path

from . import views

urlpatterns = [
    path("public/search/", views.PublicSearchView.as_view(), name="public-search"),
]
