"""Fills the rows written before the chain: the author's username where only the user link held it, then
the hash chain over every row in id order. Runs before the append-only trigger (0005)."""

from django.db import migrations

from yanzhen.core import audit_chain


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    User = apps.get_model("accounts", "User")
    names = dict(User.objects.values_list("pk", "username"))
    previous = audit_chain.GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if not event.username and event.user_id in names:
            event.username = names[event.user_id]
        event.prev_hash = previous
        event.row_hash = audit_chain.link(previous, event)
        AuditEvent.objects.filter(pk=event.pk).update(
            username=event.username,
            prev_hash=event.prev_hash,
            row_hash=event.row_hash,
        )
        previous = event.row_hash


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_chain_fields"),
        ("accounts", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
