"""Production schedules for Celery beat (django-celery-beat): the expiry event just after
midnight, and the webhook retry sweep every minute. Edited later in the admin."""

from django.db import migrations

SCHEDULES = [
    ("subscriptions.emit_expired", "订阅：证书有效期届满通知", "10", "0"),
    ("subscriptions.retry_due", "订阅：Webhook 到期重试", "*", "*"),
]


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    for task, name, minute, hour in SCHEDULES:
        crontab, _ = Crontab.objects.get_or_create(minute=minute, hour=hour, day_of_week="*", day_of_month="*",
                                                   month_of_year="*", timezone="Asia/Shanghai")
        Periodic.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[name for _t, name, _m, _h in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("subscriptions", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
