"""Attempts keep the keyed hash of the pairing code, not the code (outreach.pairing)."""

from django.db import migrations, models

from lantern.outreach import pairing


def hash_codes(apps, schema_editor):
    Attempt = apps.get_model("outreach", "Attempt")
    for attempt in Attempt.objects.select_related("session").iterator():
        if len(attempt.pairing_code) < pairing.KEY_LENGTH:
            attempt.pairing_code = pairing.key(attempt.session.code, attempt.pairing_code)
            attempt.save(update_fields=["pairing_code"])


class Migration(migrations.Migration):
    dependencies = [("outreach", "0003_training")]

    operations = [
        migrations.AlterField(
            model_name="attempt",
            name="pairing_code",
            field=models.CharField(max_length=64),
        ),
        migrations.RunPython(hash_codes, migrations.RunPython.noop),
    ]
