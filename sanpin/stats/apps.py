from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "sanpin.stats"
    label = "stats"
    verbose_name = "统计"
