"""The built-in campaign KPIs (data/campaign_kpis.json): reach, visits through campaign
links, public reports by how the reporter heard of the service and by campaign code."""

from django.db import migrations

from lantern.evaluation import builtin


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0003_kpis"),
        ("outreach", "0002_campaigns"),
    ]

    operations = [
        migrations.RunPython(builtin.load_campaign_kpis, builtin.unload_campaign_kpis),
    ]
