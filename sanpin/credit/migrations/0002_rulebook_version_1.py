"""Version 1 of the credit rulebook, effective 2020-01-01 (values in sanpin.credit.rulebook)."""

from django.db import migrations
from django.utils import timezone


def create_version_1(apps, schema_editor):
    from sanpin.credit.rulebook import default_values

    Rulebook = apps.get_model("credit", "Rulebook")
    if not Rulebook.objects.filter(version=1).exists():
        # Only the fields the table has at this point: later migrations fill the ones they add.
        fields = {field.name for field in Rulebook._meta.get_fields()}
        values = {k: v for k, v in default_values().items() if k in fields}
        Rulebook.objects.create(published_at=timezone.now(), **values)


class Migration(migrations.Migration):

    dependencies = [("credit", "0001_initial")]

    operations = [migrations.RunPython(create_version_1, migrations.RunPython.noop)]
