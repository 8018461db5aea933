"""Production schedule for Celery beat (django-celery-beat): the outbox push every minute (the
retry path: back-off delays are kept in the rows). Edited later in the admin."""

from django.db import migrations

NAME = "追溯平台：推送证书事件"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(minute="*", hour="*", day_of_week="*", day_of_month="*",
                                               month_of_year="*", timezone="Asia/Shanghai")
    Periodic.objects.get_or_create(name=NAME, defaults={"task": "traceability.push", "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("traceability", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
