"""The organisation administrator role: a group with no model permissions (the access
policy decides what it may do), and the new choice on role grants."""

from django.db import migrations, models

ROLE = "organisation administrator"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0009_role_grants")]

    operations = [
        migrations.AlterField(
            model_name="rolegrant",
            name="role",
            field=models.CharField(
                choices=[
                    ("partner contributor", "Partner contributor"),
                    ("hub analyst", "Hub analyst"),
                    ("hub coordinator", "Hub coordinator"),
                    ("safeguarding lead", "Safeguarding lead"),
                    ("operations lead", "Operations lead"),
                    ("outreach and training officer", "Outreach and training officer"),
                    ("board viewer", "Board viewer"),
                    ("system administrator", "System administrator"),
                    ("organisation administrator", "Organisation administrator"),
                ],
                max_length=50,
                verbose_name="role",
            ),
        ),
        migrations.RunPython(create_role, remove_role),
    ]
