"""Production schedule for Celery beat (django-celery-beat): on the 1st of each month at 03:30
(after the nightly credit refresh), freeze the month that has just ended. Edited later in the admin."""

from django.db import migrations

NAME = "统计数据月度冻结"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(minute="30", hour="3", day_of_week="*", day_of_month="1",
                                               month_of_year="*", timezone="Asia/Shanghai")
    Periodic.objects.get_or_create(name=NAME, defaults={"task": "stats.freeze_previous_month", "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_targets_and_snapshots"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
