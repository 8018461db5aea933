from django.urls import path

from . import views

urlpatterns = [
    path("lab-proficiency-tests/", views.ProficiencyTestListView.as_view(), name="lab-proficiency-test-list"),
    path("lab-proficiency-tests/<int:pk>/void/", views.ProficiencyTestVoidView.as_view(),
         name="lab-proficiency-test-void"),
    path("lab-inspections/", views.LabInspectionListView.as_view(), name="lab-inspection-list"),
    path("lab-inspections/<int:pk>/void/", views.LabInspectionVoidView.as_view(), name="lab-inspection-void"),
    path("labs/<int:pk>/standing/", views.LabStandingView.as_view(), name="lab-standing"),
    path("training-records/", views.TrainingRecordListView.as_view(), name="training-record-list"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("stats/inspector-performance/", views.InspectorPerformanceView.as_view(), name="stats-inspector-performance"),
    path("stats/expert-participation/", views.ExpertParticipationView.as_view(), name="stats-expert-participation"),
]
