"""Production schedule for Celery beat (django-celery-beat): every morning, re-check the
certificates of approved participants of events starting the next day. Edited later in the admin."""

from django.db import migrations

NAME = "展前复核参展证书"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(minute="0", hour="6", day_of_week="*", day_of_month="*",
                                               month_of_year="*", timezone="Asia/Shanghai")
    Periodic.objects.get_or_create(name=NAME, defaults={"task": "promotion.check_upcoming", "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("promotion", "0001_initial"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
