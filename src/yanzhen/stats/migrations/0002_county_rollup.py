"""The per-county figures kept per day (`stats.rollup`) and the change stamps that tell when they are stale.

The stamps are moved by triggers on every table the figures read, in the writing transaction, so a stamp
moves exactly when the rows it covers become visible, whatever wrote them. PostgreSQL: statement triggers
over the transition tables (one upsert per statement, however many rows a bulk load writes). SQLite: row
triggers (one writer at a time; a bulk load of 10,000 people costs a few tenths of a second more).
"""

from django.db import migrations, models

from yanzhen.stats import triggers


def create(apps, schema_editor):
    triggers.create(schema_editor.connection)


def drop(apps, schema_editor):
    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CountyStamp",
            fields=[
                (
                    "county",
                    models.CharField(editable=False, max_length=6, primary_key=True, serialize=False, verbose_name="county"),
                ),
                ("changes", models.BigIntegerField(default=0, verbose_name="changes")),
            ],
            options={
                "verbose_name": "county change stamp",
                "verbose_name_plural": "county change stamps",
            },
        ),
        migrations.CreateModel(
            name="CountyFigures",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("county", models.CharField(editable=False, max_length=6, verbose_name="county")),
                ("as_of", models.DateField(verbose_name="as of")),
                ("stamp", models.BigIntegerField(verbose_name="county stamp")),
                ("global_stamp", models.BigIntegerField(verbose_name="global stamp")),
                ("payload", models.JSONField(verbose_name="counts")),
                ("computed_at", models.DateTimeField(auto_now=True, verbose_name="computed at")),
            ],
            options={
                "verbose_name": "county figures",
                "verbose_name_plural": "county figures",
                "constraints": [
                    models.UniqueConstraint(fields=("county", "as_of"), name="county_figures_once_a_day")
                ],
            },
        ),
        # hints: DDL (see core 0005).
        migrations.RunPython(create, drop, hints={"ddl": True}),
    ]
