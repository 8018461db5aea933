from django.urls import path

from . import views

urlpatterns = [
    path("subscriptions/", views.SubscriptionListView.as_view(), name="subscription-list"),
    path("subscriptions/<int:pk>/", views.SubscriptionDetailView.as_view(), name="subscription-detail"),
    path("subscriptions/<int:pk>/deliveries/", views.DeliveryListView.as_view(), name="subscription-deliveries"),
]
