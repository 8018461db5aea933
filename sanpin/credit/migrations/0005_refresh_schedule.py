"""Production schedule for Celery beat (django-celery-beat): refresh every entity's credit standing
each night, after midnight, so the day's grades reflect decay and the rulebook in force. Edited
later in the admin."""

from django.db import migrations

NAME = "信用等级每日刷新"


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Periodic = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(minute="30", hour="1", day_of_week="*", day_of_month="*",
                                               month_of_year="*", timezone="Asia/Shanghai")
    Periodic.objects.get_or_create(name=NAME, defaults={"task": "credit.refresh_all", "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("credit", "0004_standing_and_bank_consent"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
