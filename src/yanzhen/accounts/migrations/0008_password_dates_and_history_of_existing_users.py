"""Existing accounts on the day of the upgrade: a password with no recorded change date counts as changed
now (else every older account would be forced to change on the first morning, all at once, and the date it
was really set is unknown); and each usable current password becomes the first history entry."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    PasswordHistory = apps.get_model("accounts", "PasswordHistory")
    now = timezone.now()
    User.objects.filter(password_changed_at__isnull=True).update(password_changed_at=now)
    entries = [
        PasswordHistory(user_id=user_id, password_hash=password, created_at=changed_at)
        for user_id, password, changed_at in User.objects.values_list("id", "password", "password_changed_at")
        # Unusable passwords start with "!" (django.contrib.auth.hashers.UNUSABLE_PASSWORD_PREFIX).
        if password and not password.startswith("!")
    ]
    PasswordHistory.objects.bulk_create(entries, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_password_history_and_sessions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
