from django.urls import path

from . import views

urlpatterns = [
    path("featured/listings/", views.ListingListView.as_view(), name="featured-listing-list"),
    path("featured/listings/<str:number>/", views.ListingDetailView.as_view(), name="featured-listing-detail"),
    path("featured/listings/<str:number>/confirmations/", views.ConfirmationSubmitView.as_view(),
         name="featured-confirmation-submit"),
    path("featured/listings/<str:number>/quality-tests/", views.QualityTestListView.as_view(),
         name="featured-quality-tests"),
    path("featured/listings/<str:number>/nutrition-evaluations/", views.NutritionEvaluationListView.as_view(),
         name="featured-nutrition-evaluations"),
    path("featured/confirmations/", views.ConfirmationListView.as_view(), name="featured-confirmation-list"),
    path("featured/confirmations/<int:pk>/decision/", views.ConfirmationDecisionView.as_view(),
         name="featured-confirmation-decision"),
]
