"""Version 1 of the credit rulebook, effective 2020-01-01 (values in sanpin.credit.rulebook)."""

from django.db import migrations
from django.utils import timezone


def create_version_1(apps, schema_editor):
    from sanpin.credit.rulebook import default_values

    Rulebook = apps.get_model("credit", "Rulebook")
    if not Rulebook.objects.filter(version=1).exists():
        Rulebook.objects.create(published_at=timezone.now(), **default_values())


class Migration(migrations.Migration):

    dependencies = [("credit", "0001_initial")]

    operations = [migrations.RunPython(create_version_1, migrations.RunPython.noop)]
