"""Lost updates refused: every edit of an existing record carries the version it was opened at.

The version is derived from data that already exists: the id of the record's latest simple-history row (every
tracked save adds one), or, for a model without history, a hash of its field values; "0" for a record that does
not exist yet (a county's settings before their first save). No column is added.

- Pages: `track(form, record)` gives a bound or unbound form the version the clerk opened (`form.version`,
  posted back by the hidden input of `core/_version.html`, kept out of `cleaned_data`). `saving(form, Model, **lookup)` is the write's transaction: it locks the row
  (`select_for_update`), compares, and raises `Stale` before the service writes anything. `Stale` is a
  `ValidationError` whose non-field messages name who changed what meanwhile and the values now stored, so each
  view's existing error path shows it; the form is shown again with what the clerk typed, and its `version`
  moves to the current one, so that saving again (after reconciling) is accepted.
- API: `etag(record)` is the quoted version, sent as `ETag` by a single resource's GET and by PUT;
  `if_match(header, Model, **lookup)` is the same check for `If-Match` (412 through the API's handler of
  `Stale`). A request without a version (no hidden field, no `If-Match`) is not checked.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from yanzhen.core.history import HIDDEN_SUFFIXES

FIELD = "version"
SHOWN_CHARACTERS = 120
NEW = "0"
# Kept by the services from other fields (the name's pinyin) or by the database: never named in a conflict.
DERIVED_FIELDS = frozenset({"name_pinyin", "name_initials", "created_at", "updated_at"})


class Stale(ValidationError):
    """The record changed after the form (or the API client) read it; nothing was written."""

    def __init__(self, message: str, current: str, changes: list[tuple[str, str, str]]):
        self.message_text = message
        self.current = current
        # (field name, label, the value now stored)
        self.changes = changes
        texts = [message]
        if changes:
            texts.append("现在保存的值：" + "；".join(f"{label}：{value}" for _, label, value in changes))
        super().__init__({NON_FIELD_ERRORS: texts})


def _history_model(model):
    manager = getattr(model, "history", None)
    return manager.model if manager is not None else None


def _history_rows(model, pk):
    return model.history.filter(**{model._meta.pk.attname: pk})


def version_of(record: models.Model | None) -> str:
    """The version a reader saw: the latest history row's id, a hash of the fields, or "0" when unsaved."""
    if record is None or record.pk is None:
        return NEW
    model = type(record)
    if _history_model(model) is not None:
        latest = _history_rows(model, record.pk).order_by("-history_id").values_list("history_id", flat=True)
        first = latest.first()
        return str(first) if first is not None else NEW
    if record._state.adding:
        return NEW
    values = json.dumps(model_to_dict(record), sort_keys=True, cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(values.encode()).hexdigest()[:20]


def etag(record: models.Model | None) -> str:
    return f'"{version_of(record)}"'


def track(form, record: models.Model | None) -> None:
    """Mark `form` as the edit of `record`: `form.version` is what the page carries in its hidden `version`
    input (`core/_version.html`): the version of `record` now, or, when posted, the version the clerk opened."""
    posted = form.data.get(FIELD) if form.is_bound else None
    form.version = posted if posted else version_of(record)
    form.version_posted = posted or None


class PageVersion:
    """The version of an edit page built without a Django form (its inputs read from `request.POST`): pass it
    to `saving` as the form, and to `core/_version.html` as `form`."""

    def __init__(self, request, record: models.Model | None):
        self.is_bound = request.method == "POST"
        self.data = request.POST if self.is_bound else {}
        track(self, record)


def _display(record: models.Model, name: str) -> str:
    """The value stored now, as the clerk reads it, cut to `SHOWN_CHARACTERS` (a long 备注 stays readable)."""
    text = _plain(record, name)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def _plain(record: models.Model, name: str) -> str:
    model_field = record._meta.get_field(name)
    if model_field.many_to_many:
        return "、".join(str(item) for item in getattr(record, name).all()) or "—"
    value = getattr(record, name)
    if isinstance(model_field, models.Field) and model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def _label(model, name: str) -> str | None:
    if name in DERIVED_FIELDS or name.endswith(HIDDEN_SUFFIXES):
        return None
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return None


def _history_id(version: str) -> int | None:
    """A version naming a history row, bounded to 64 bits (it comes from outside)."""
    return int(version) if version.isdigit() and len(version) < 19 else None


def _refusal(
    model, record: models.Model | None, seen: str, current: str, only: frozenset[str] | None = None
) -> Stale:
    """Who changed what since version `seen`, and the values stored now. `only`: the fields of the form, the
    ones compared with the defaults when the clerk opened a record not saved yet."""
    if _history_model(model) is None or record is None:
        return Stale("您打开此页后，此记录已被他人修改。请核对后再保存。", current, [])
    rows = _history_rows(model, record.pk).select_related("history_user").order_by("history_id")
    seen_id = _history_id(seen)
    newer = list(rows.filter(history_id__gt=seen_id) if seen_id is not None else rows)
    authors = list(
        dict.fromkeys(str(row.history_user) if row.history_user else "系统或导入" for row in newer)
    )
    when = timezone.localtime(newer[-1].history_date) if newer else timezone.localtime()
    before = rows.filter(history_id=seen_id).first() if seen_id else None
    changes = []
    for name in dict.fromkeys(_changed_names(model, record, seen, newer, before, only)):
        label = _label(model, name)
        if label is not None:
            changes.append((name, label, _display(record, name)))
    what = "、".join(label for _, label, _ in changes) or "此记录"
    message = f"您打开此页后，{'、'.join(authors) or '他人'} 于 {when:%Y-%m-%d %H:%M} 修改了：{what}。请核对后再保存。"
    return Stale(message, current, changes)


def _changed_names(model, record, seen: str, newer: list, before, only: frozenset[str] | None) -> list[str]:
    """The fields changed since the version the clerk saw (in order, perhaps repeated)."""
    if before is not None and newer:
        return [change.field for change in newer[-1].diff_against(before).changes]
    if seen == NEW:
        # The clerk saw the defaults of a record not saved yet (a county's settings): what differs from them.
        defaults = model(pk=record.pk)
        return [
            f.name
            for f in model._meta.concrete_fields
            if not f.primary_key
            and f.editable
            and (only is None or f.name in only)
            and getattr(defaults, f.attname) != getattr(record, f.attname)
        ]
    names: list[str] = []
    for older, row in zip(newer, newer[1:], strict=False):
        names += [change.field for change in row.diff_against(older).changes]
    return names


def check(model, submitted: str | None, only: frozenset[str] | None = None, **lookup) -> models.Model | None:
    """Lock the record and refuse (`Stale`) when its version is not `submitted`; call inside a transaction.

    A missing version (None or empty) is not checked. Returns the locked record (None when it does not exist)."""
    record = model._default_manager.select_for_update().filter(**lookup).first()
    if not submitted:
        return record
    current = version_of(record)
    if current != submitted:
        raise _refusal(model, record, submitted, current, only)
    return record


@contextmanager
def saving(form, model, **lookup):
    """The write of a tracked form: one transaction holding the row lock, the version compared first.

    On a stale version the form's `version` moves to the current one (what the clerk typed stays) and `Stale`
    is raised: the caller's `except ValidationError` shows its messages as the form's own errors."""
    with transaction.atomic():
        try:
            fields = getattr(form, "fields", None)
            only = frozenset(fields) if fields is not None else None
            record = check(model, getattr(form, "version_posted", None), only, **lookup)
        except Stale as stale:
            form.version = stale.current
            form.stale = stale
            raise
        yield record


IF_MATCH_DESCRIPTION = (
    "可选。GET 或上次 PUT 的响应头 ETag（记录的版本）。若记录此后已被他人修改，返回 412，"
    "detail 写明何人何时改了哪些字段，errors 给出现值，响应头 ETag 为现版本，不写入任何数据。"
    "不带此头的 PUT 照常保存（不检查版本）。"
)


def parse_if_match(header: str | None) -> str | None:
    """The version of an `If-Match` header (`"12"`, `W/"12"`); None for no header or `*` (no check)."""
    value = (header or "").strip()
    if not value or value == "*":
        return None
    value = value.split(",")[0].strip().removeprefix("W/")
    return value.strip('"') or None


@contextmanager
def if_match(header: str | None, model, **lookup):
    """The API's write under the row lock, refused (`Stale`, answered 412) when `If-Match` is not current."""
    with transaction.atomic():
        yield check(model, parse_if_match(header), **lookup)
