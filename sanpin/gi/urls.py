from django.urls import path

from . import views

app_name = "gi"
urlpatterns = [
    path("", views.RegistrationListView.as_view(), name="list"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template/", views.ImportTemplateView.as_view(), name="import_template"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("<str:gi_number>/", views.RegistrationDetailView.as_view(), name="detail"),
    path("<str:gi_number>/authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("<str:gi_number>/authorizations/<int:authorization_id>/end/", views.AuthorizationEndView.as_view(),
         name="authorization_end"),
    path("<str:gi_number>/quality/", views.QualityRecordView.as_view(), name="quality_add"),
    path("<str:gi_number>/revoke/", views.RevokeView.as_view(), name="revoke"),
]
