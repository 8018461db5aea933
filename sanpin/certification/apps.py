from importlib import import_module

from django.apps import AppConfig

# Modules holding a scheme's own effects and drafting checks; each registers them by name when
# imported (scheme configurations name effects as strings, so they need not import them).
RULE_MODULES = (
    "sanpin.certification.green_food_rules",
    "sanpin.certification.organic_rules",
)


class CertificationConfig(AppConfig):
    name = "sanpin.certification"
    label = "certification"
    verbose_name = "认证审核"

    def ready(self):
        for module in RULE_MODULES:
            import_module(module)
