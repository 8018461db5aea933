from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sanpin.notifications"
    label = "notifications"
    verbose_name = "消息通知"
