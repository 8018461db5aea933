from django.urls import path

from . import views

urlpatterns = [
    path("entities/<int:pk>/credit/", views.EntityCreditView.as_view(), name="entity-credit"),
]
