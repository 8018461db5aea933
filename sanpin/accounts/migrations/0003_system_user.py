"""The SYSTEM user: the actor of scheduled jobs and command-line imports. It cannot sign in
(inactive, unusable password)."""

from django.contrib.auth.hashers import make_password
from django.db import migrations


def create_system_user(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.get_or_create(
        username="system",
        defaults={"display_name": "系统", "is_active": False, "is_system": True, "password": make_password(None)},
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(create_system_user, migrations.RunPython.noop)]
