"""The group of the role "leader" (accounts.roles.Role.LEADER): 县委分管领导, read-only (issue 20 §3)."""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="leader")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_password_dates_and_history_of_existing_users")]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
