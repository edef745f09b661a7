"""The knowledge uplift KPIs (data/training_kpis.json): NRM knowledge and all topics, now
that the KPI engine computes a paired measure. Only what is missing is added."""

from django.db import migrations

from lantern.evaluation import builtin


def add_missing(apps, schema_editor):
    builtin.load_training_kpis(apps, schema_editor)


def remove(apps, schema_editor):
    apps.get_model("evaluation", "Kpi").objects.filter(
        code__in=["knowledge-uplift-nrm", "knowledge-uplift"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0005_training_kpis")]

    operations = [migrations.RunPython(add_missing, remove)]
