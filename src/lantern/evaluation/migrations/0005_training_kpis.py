"""The built-in training KPI (data/training_kpis.json): frontline staff trained, by
organisation type and frontline role. The knowledge uplift, a paired comparison rather than
a count, is reported by topic in the board pack's training section."""

from django.db import migrations

from lantern.evaluation import builtin


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0004_campaign_kpis"),
        ("outreach", "0003_training"),
    ]

    operations = [
        migrations.RunPython(builtin.load_training_kpis, builtin.unload_training_kpis),
    ]
