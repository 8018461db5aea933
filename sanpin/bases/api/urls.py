from django.urls import include, path

urlpatterns = [
    path("", include("sanpin.bases.api.urls_directory")),
    path("", include("sanpin.bases.api.urls_import")),
    path("", include("sanpin.bases.api.urls_collection")),
]
