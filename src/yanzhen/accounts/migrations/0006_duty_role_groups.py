"""三员分立: the groups of the system, security and audit administrators (accounts.roles)."""

from django.db import migrations

ROLES = ["system_admin", "security_admin", "audit_admin"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_securitypolicy_historicalsecuritypolicy")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
