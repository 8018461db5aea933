"""Production schedules for Celery beat (django-celery-beat): deadline reminders and escalation
every morning, the audit-chain check every night, queued messages every 15 minutes. Edited later
in the admin."""

from django.db import migrations

SCHEDULES = [
    ("certification.process_deadlines", "审核时限提醒与超期上报", "0", "8"),
    ("core.verify_audit_chain", "审计链夜间校验", "30", "2"),
    ("notifications.resend_queued", "重发未送出的邮件和短信", "*/15", "*"),
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
    dependencies = [("certification", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
