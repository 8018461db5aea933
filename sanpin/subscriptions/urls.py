from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.SubscriptionListView.as_view(), name="list"),
    path("new/", views.SubscriptionCreateView.as_view(), name="create"),
    path("<int:pk>/", views.SubscriptionDetailView.as_view(), name="detail"),
    path("<int:pk>/cancel/", views.SubscriptionCancelView.as_view(), name="cancel"),
    path("deliveries/<uuid:delivery_id>/resend/", views.DeliveryResendView.as_view(), name="resend"),
]
