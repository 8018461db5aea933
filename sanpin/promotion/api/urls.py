from django.urls import path

from . import views

urlpatterns = [
    path("public/events/", views.PublicEventListView.as_view(), name="public-event-list"),
    path("public/events/<int:pk>/", views.PublicEventDetailView.as_view(), name="public-event-detail"),
    path("public/award-lists/", views.PublicAwardListsView.as_view(), name="public-award-list-list"),
    path("public/award-lists/<int:pk>/", views.PublicAwardListDetailView.as_view(), name="public-award-list-detail"),
    path("events/<int:pk>/participations/", views.EventParticipationsView.as_view(), name="event-participations"),
    path("outlets/", views.OutletListView.as_view(), name="outlet-list"),
    path("promotion-specialists/", views.SpecialistListView.as_view(), name="promotion-specialist-list"),
]
