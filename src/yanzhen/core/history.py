"""The change timeline of a record: who, when, and each field before → after, from simple-history."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Never shown, whatever the model: ciphertexts and keyed hashes of personal data.
HIDDEN_SUFFIXES = ("_encrypted", "_hash")


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    at: object
    user: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def _display(record, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    try:
        model_field = record.instance_type._meta.get_field(name)
    except Exception:  # noqa: BLE001  (a history-only or m2m field)
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.many_to_many and isinstance(
        value, list
    ):  # through rows: {"division": ..., "villagetag": pk}
        related = model_field.related_model
        key = related._meta.model_name
        names = related._default_manager.in_bulk([row.get(key) for row in value])
        return "、".join(str(names.get(row.get(key), row.get(key))) for row in value) or "—"
    return str(value)


def timeline(instance, *, limit: int = 50, exclude: tuple[str, ...] = ()) -> list[TimelineEntry]:
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        user = str(record.history_user) if record.history_user else _("import or system")
        entry = TimelineEntry(at=record.history_date, user=user, kind=record.get_history_type_display())
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field.endswith(HIDDEN_SUFFIXES) or change.field in exclude:
                    continue
                try:
                    label = str(instance._meta.get_field(change.field).verbose_name)
                except Exception:  # noqa: BLE001
                    label = change.field
                entry.changes.append(
                    Change(
                        change.field,
                        label,
                        _display(record, change.field, change.old),
                        _display(record, change.field, change.new),
                    )
                )
        entries.append(entry)
    return entries
