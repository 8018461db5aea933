"""Promotion pages: public events and award lists; the entity's sign-up and participations; staff
event management, the outlet and specialist registry, and award lists."""

from django.urls import path

from . import views_awards, views_events, views_mine, views_public, views_registry

app_name = "promotion"
urlpatterns = [
    # Public
    path("events/", views_public.EventListView.as_view(), name="events"),
    path("events/<int:pk>/", views_public.EventDetailView.as_view(), name="event"),
    path("awards/", views_public.AwardListsView.as_view(), name="awards"),
    path("awards/<int:pk>/", views_public.AwardListDetailView.as_view(), name="award_list"),
    # Entity
    path("events/<int:pk>/signup/", views_mine.SignUpView.as_view(), name="signup"),
    path("mine/", views_mine.MyParticipationsView.as_view(), name="mine"),
    # Staff: events
    path("manage/events/", views_events.EventManageListView.as_view(), name="manage_events"),
    path("manage/events/new/", views_events.EventCreateView.as_view(), name="event_create"),
    path("manage/events/<int:pk>/", views_events.EventManageView.as_view(), name="manage_event"),
    path("manage/events/<int:pk>/edit/", views_events.EventEditView.as_view(), name="event_edit"),
    path("manage/events/<int:pk>/transition/", views_events.EventTransitionView.as_view(), name="event_transition"),
    path("manage/events/<int:pk>/results/", views_events.EventResultsView.as_view(), name="event_results"),
    path("manage/participations/<int:pk>/decide/", views_events.ParticipationDecideView.as_view(),
         name="participation_decide"),
    path("manage/participations/<int:pk>/results/", views_events.ParticipationResultsView.as_view(),
         name="participation_results"),
    # Staff: the "十百千万" registry
    path("outlets/", views_registry.OutletListView.as_view(), name="outlets"),
    path("outlets/new/", views_registry.OutletCreateView.as_view(), name="outlet_create"),
    path("outlets/<int:pk>/", views_registry.OutletDetailView.as_view(), name="outlet"),
    path("outlets/<int:pk>/close/", views_registry.OutletCloseView.as_view(), name="outlet_close"),
    path("specialists/", views_registry.SpecialistListView.as_view(), name="specialists"),
    path("specialists/new/", views_registry.SpecialistCreateView.as_view(), name="specialist_create"),
    path("specialists/<int:pk>/", views_registry.SpecialistDetailView.as_view(), name="specialist"),
    path("specialists/<int:pk>/trainings/", views_registry.SpecialistTrainingView.as_view(),
         name="specialist_training"),
    path("specialists/<int:pk>/leave/", views_registry.SpecialistLeaveView.as_view(), name="specialist_leave"),
    # Staff: award lists
    path("manage/awards/", views_awards.AwardListManageListView.as_view(), name="manage_awards"),
    path("manage/awards/new/", views_awards.AwardListCreateView.as_view(), name="award_list_create"),
    path("manage/awards/<int:pk>/", views_awards.AwardListManageView.as_view(), name="manage_award_list"),
    path("manage/awards/<int:pk>/entries/", views_awards.AwardEntryAddView.as_view(), name="award_entry_add"),
    path("manage/awards/<int:pk>/entries/<int:item_id>/remove/", views_awards.AwardEntryRemoveView.as_view(),
         name="award_entry_remove"),
    path("manage/awards/<int:pk>/publish/", views_awards.AwardListPublishView.as_view(), name="award_list_publish"),
]
