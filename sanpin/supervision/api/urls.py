from django.urls import path

from . import views

urlpatterns = [
    path("rectifications/", views.RectificationListView.as_view(), name="rectification-list"),
    path("rectifications/<int:id>/", views.RectificationDetailView.as_view(), name="rectification-detail"),
    path("rectifications/<int:id>/answer/", views.RectificationAnswerView.as_view(), name="rectification-answer"),
    path("rectifications/<int:id>/decide/", views.RectificationDecideView.as_view(), name="rectification-decide"),
    path("rectifications/<int:id>/evidence/<int:evidence_id>/", views.RectificationEvidenceView.as_view(),
         name="rectification-evidence"),
    path("revocations/", views.RevocationListView.as_view(), name="revocation-list"),
    path("revocations/<int:id>/", views.RevocationDetailView.as_view(), name="revocation-detail"),
    path("revocations/<int:id>/decide/", views.RevocationDecideView.as_view(), name="revocation-decide"),
]
