from django.apps import AppConfig


class RecordsImportConfig(AppConfig):
    name = "sanpin.records_import"
    label = "records_import"
    verbose_name = "存量数据导入"
    default_auto_field = "django.db.models.BigAutoField"
