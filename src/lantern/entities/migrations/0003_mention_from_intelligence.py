"""Mention moves from intelligence to entities (ADR 0027): only Django's state changes; the
table ``intelligence_mention``, its rows, keys and indexes stay exactly as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("entities", "0002_restricted_hit_owners"),
        ("intelligence", "0008_report_update"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Mention",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("person", "Person"),
                                    ("location", "Address or place"),
                                    ("business", "Business"),
                                    ("vehicle", "Vehicle"),
                                    ("phone", "Phone number"),
                                    ("email", "Email address"),
                                    ("online_profile", "Online profile or advert"),
                                    ("bank_account", "Bank account (last 4 digits)"),
                                ],
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("suspected_exploiter", "Suspected exploiter"),
                                    ("potential_victim", "Potential victim"),
                                    ("witness", "Witness"),
                                    ("premises", "Premises"),
                                    ("vehicle_used", "Vehicle used"),
                                    ("contact", "Used to make contact"),
                                    ("payment", "Used for payment"),
                                    ("other", "Other"),
                                ],
                                max_length=30,
                                verbose_name="role",
                            ),
                        ),
                        ("value", models.CharField(max_length=300, verbose_name="as written")),
                        (
                            "key",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="matching key"
                            ),
                        ),
                        (
                            "details",
                            models.TextField(blank=True, max_length=1000, verbose_name="details"),
                        ),
                        (
                            "date_of_birth",
                            models.DateField(blank=True, null=True, verbose_name="date of birth"),
                        ),
                        (
                            "nationality",
                            models.CharField(
                                blank=True, max_length=100, verbose_name="nationality"
                            ),
                        ),
                        (
                            "entity",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="mentions",
                                to="entities.entity",
                                verbose_name="entity",
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mentions",
                                to="intelligence.intelligencereport",
                                verbose_name="intelligence report",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "mention",
                        "verbose_name_plural": "mentions",
                        "db_table": "intelligence_mention",
                        "ordering": ["id"],
                        "indexes": [
                            models.Index(
                                fields=["kind", "key", "report"], name="intelligence_mention_value"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
