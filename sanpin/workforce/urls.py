from django.urls import path

from . import views

app_name = "workforce"
urlpatterns = [
    path("labs/", views.LabListView.as_view(), name="labs"),
    path("labs/<int:pk>/", views.LabDetailView.as_view(), name="lab"),
    path("labs/<int:pk>/proficiency-tests/", views.ProficiencyTestCreateView.as_view(), name="pt_create"),
    path("labs/<int:pk>/inspections/", views.LabInspectionCreateView.as_view(), name="inspection_create"),
    path("proficiency-tests/<int:pk>/void/", views.ProficiencyTestVoidView.as_view(), name="pt_void"),
    path("lab-inspections/<int:pk>/void/", views.LabInspectionVoidView.as_view(), name="inspection_void"),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person"),
    path("people/<int:pk>/trainings/", views.TrainingCreateView.as_view(), name="training_create"),
    path("experts/", views.ExpertsView.as_view(), name="experts"),
]
