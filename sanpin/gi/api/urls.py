from django.urls import path

from . import views

urlpatterns = [
    path("gi/registrations/", views.RegistrationListView.as_view(), name="gi-registration-list"),
    path("gi/registrations/import/", views.RegistrationImportView.as_view(), name="gi-registration-import"),
    path("gi/registrations/<str:gi_number>/", views.RegistrationDetailView.as_view(), name="gi-registration-detail"),
    path("gi/authorizations/", views.AuthorizationListView.as_view(), name="gi-authorization-list"),
    path("public/gi/<str:gi_number>/", views.PublicRegistrationView.as_view(), name="public-gi"),
]
