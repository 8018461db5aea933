from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("review-quality/", views.ReviewQualityView.as_view(), name="review_quality"),
]
