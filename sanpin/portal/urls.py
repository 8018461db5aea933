from django.urls import path

from sanpin.certificates.views import VerifyView

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("verify/", VerifyView.as_view(), name="verify"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("directory/bases/", views.BaseDirectoryView.as_view(), name="bases"),
    path("directory/bases/<str:number>/", views.BaseDirectoryDetailView.as_view(), name="base_detail"),
]
