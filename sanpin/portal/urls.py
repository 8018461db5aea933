from django.urls import path

from sanpin.certificates.views import VerifyView

from . import views, views_credit, views_statistics

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("verify/", VerifyView.as_view(), name="verify"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("directory/bases/", views.BaseDirectoryView.as_view(), name="bases"),
    path("directory/bases/<str:number>/", views.BaseDirectoryDetailView.as_view(), name="base_detail"),
    path("credit-info/", views_credit.CreditInfoView.as_view(), name="credit_info"),
    path("statistics/", views_statistics.StatisticsView.as_view(), name="statistics"),
]
