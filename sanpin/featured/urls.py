from django.urls import path

from . import views

app_name = "featured"
urlpatterns = [
    path("", views.ListingListView.as_view(), name="list"),
    path("confirmations/", views.ConfirmationQueueView.as_view(), name="confirmations"),
    path("confirmations/<int:pk>/decide/", views.ConfirmationDecideView.as_view(), name="decide"),
    path("quality-tests/<int:pk>/report/", views.QualityTestReportView.as_view(), name="quality_test_report"),
    path("<str:number>/", views.ListingDetailView.as_view(), name="detail"),
    path("<str:number>/confirm/", views.ConfirmationSubmitView.as_view(), name="confirm"),
    path("<str:number>/quality-tests/", views.QualityTestCreateView.as_view(), name="quality_test_create"),
    path("<str:number>/nutrition/", views.NutritionEvaluationCreateView.as_view(), name="nutrition_create"),
]
