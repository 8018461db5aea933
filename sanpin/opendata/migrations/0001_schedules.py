"""Production schedule for Celery beat (django-celery-beat): regenerate the open-data registry
every night. Edited later in the admin."""

from django.db import migrations

NAME = "开放数据每日生成"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(minute="0", hour="3", day_of_week="*", day_of_month="*",
                                               month_of_year="*", timezone="Asia/Shanghai")
    Periodic.objects.get_or_create(name=NAME, defaults={"task": "opendata.export", "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
