"""Rulebook.effects ("申报+信用"), with version 1's effects (values in sanpin.credit.rulebook)."""

from django.db import migrations, models


def fill_version_1(apps, schema_editor):
    from sanpin.credit.rulebook import default_values

    Rulebook = apps.get_model("credit", "Rulebook")
    # Rulebooks are append-only through the model's save(); the historical model writes the new
    # column of the existing row once, here.
    for pk, effects in Rulebook.objects.filter(version=1).values_list("pk", "effects"):
        if not effects:
            Rulebook.objects.filter(pk=pk).update(effects=default_values()["effects"])


class Migration(migrations.Migration):

    dependencies = [
        ('credit', '0002_rulebook_version_1'),
    ]

    operations = [
        migrations.AddField(
            model_name='rulebook',
            name='effects',
            field=models.JSONField(default=dict, help_text='申报+信用：哪些等级加做现场检查、禁止新申请、可免续展现场检查', verbose_name='信用应用规则'),
        ),
        migrations.RunPython(fill_version_1, migrations.RunPython.noop),
    ]
