from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "sanpin.stats"
    label = "stats"
    verbose_name = "统计"

    def ready(self):
        from . import signals

        signals.connect()
