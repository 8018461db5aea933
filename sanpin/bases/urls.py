from django.urls import include, path

app_name = "bases"
urlpatterns = [
    path("", include("sanpin.bases.urls_directory")),
    path("", include("sanpin.bases.urls_import")),
    path("", include("sanpin.bases.urls_collection")),
]
