from django.urls import path, register_converter

from . import views


class RegionCodeConverter:
    """A 6-digit GB/T 2260 code."""

    regex = r"\d{6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(RegionCodeConverter, "region")

app_name = "catalog"
urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/import/", views.RegionImportView.as_view(), name="region_import"),
    path("regions/import/template.xlsx", views.RegionTemplateView.as_view(), name="region_import_template"),
    path("regions/<region:code>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("regions/<region:code>/edit/", views.RegionEditView.as_view(), name="region_edit"),
    path("entities/", views.EntityListView.as_view(), name="entity_list"),
    path("entities/new/", views.EntityCreateView.as_view(), name="entity_create"),
    path("entities/<int:pk>/", views.EntityDetailView.as_view(), name="entity_detail"),
    path("entities/<int:pk>/edit/", views.EntityEditView.as_view(), name="entity_edit"),
    path("entities/<int:pk>/trademarks/", views.TrademarkAddView.as_view(), name="trademark_add"),
    path("trademarks/<int:pk>/remove/", views.TrademarkRemoveView.as_view(), name="trademark_remove"),
    path("my-entity/", views.MyEntityView.as_view(), name="my_entity"),
    path("signup/", views.SignupView.as_view(), name="signup"),
]
