"""The group of the role "cadre" (accounts.roles.Role.CADRE): a sitting cadre's own login, for his duty days."""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="cadre")


class Migration(migrations.Migration):
    dependencies = [("duty", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
