from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanpin.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from . import public_cache, replica

        public_cache.connect()
        replica.connect()
