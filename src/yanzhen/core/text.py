"""The one rule for text that people type or import: what is kept, what is dropped, and how long it may be.

`normalise(value, multiline=False)`:
- NFC (a name typed as 'e' + combining accent is stored as the one precomposed letter, so it is found and
  compared as one);
- drops every invisible format character (Unicode category Cf: zero-width space and joiners, the BOM, the bidi
  embeddings, overrides and isolates, soft hyphen, tag characters), lone surrogates (Cs, which PostgreSQL
  refuses) and the Hangul fillers (Lo, but drawn as nothing);
- control characters (Cc) are dropped, except that a multi-line field keeps newline and tab (CR LF and CR
  become LF; a line or paragraph separator becomes a newline) and a single-line field turns a line break or tab
  into a space;
- surrounding whitespace is stripped.

A name made only of invisible characters is empty after this, and a required field refuses it.

The limits: every free-text column of the project has a `max_length`; the text columns (`TextField`) use the
constants below. `NormalisedCharField` and `NormalisedTextField` carry the rule into the models, their form
fields (the textarea gets `maxlength` and shows the limit) and their `save()` (last line of defence for writes
that come through no form: the API, imports, services). `Line` and `Multiline` carry it into API schemas.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import cache
from typing import Annotated

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_init
from django.utils.functional import lazy
from django.utils.translation import gettext
from pydantic import BeforeValidator

# The text columns' limits, in characters (字). Single-line columns state their own `max_length`.
NOTE_MAX = 2000  # 备注, remarks, decisions' notes, short answers
LONG_TEXT_MAX = 5000  # reports (述职报告, 半年汇报), goals, duties, findings, evidence, objections

# Drawn as nothing although their category is a letter.
_FILLERS = ("\u115f", "\u1160", "\u3164", "\uffa0")
_SINGLE_LINE_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"


@cache
def _table(multiline: bool) -> dict[int, str | None]:
    """The `str.translate` table of one kind of field, built once per process (about 0.2 s)."""
    table: dict[int, str | None] = {}
    for code in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(code))
        if category in ("Cf", "Cs"):
            table[code] = None
        elif category == "Cc":
            table[code] = None
        elif category in ("Zl", "Zp"):
            table[code] = "\n" if multiline else " "
    for filler in _FILLERS:
        table[ord(filler)] = None
    if multiline:
        for kept in "\n\t":
            del table[ord(kept)]
        table[ord("\x0b")] = table[ord("\x0c")] = "\n"
    else:
        for space in _SINGLE_LINE_SPACES:
            table[ord(space)] = " "
    return table


def normalise(value, multiline: bool = False):
    """The text as it is stored (see the module's docstring); None and non-text values pass unchanged."""
    if not isinstance(value, str):
        return value
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not value.isascii() or not value.isprintable():
        value = unicodedata.normalize("NFC", value.translate(_table(multiline)))
    return value.strip()


def too_long_message(label, limit: int, length: int) -> str:
    return f"{label}不能超过 {limit} 字（现为 {length} 字）"


def empty_message(label) -> str:
    return f"{label}不能为空（所填内容只有不可见字符）"


# -- API schemas ----------------------------------------------------------------------------------------------

Line = Annotated[str, BeforeValidator(normalise)]
Multiline = Annotated[str, BeforeValidator(lambda value: normalise(value, multiline=True))]


def check_lengths(
    model: type[models.Model], values: dict, *, prefix: str = "", label_prefix: str = ""
) -> dict:
    """{field: message} for each text of `values` longer than the model's column allows, for the API's 422
    before anything is written (`values` by field name, already normalised)."""
    errors = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        limit = getattr(field, "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            errors[f"{prefix}{name}"] = label_prefix + too_long_message(field.verbose_name, limit, len(value))
    return errors


# -- forms ----------------------------------------------------------------------------------------------------

_limit_hint = lazy(lambda limit: gettext("At most %(limit)s characters") % {"limit": limit}, str)


class NormalisedFormField(forms.CharField):
    """A form's text field that normalises what was typed before the required and length checks run, so a
    name of zero-width spaces is "required" and a 2 MB 备注 is "too long", naming the field."""

    def __init__(self, *, multiline: bool | None = None, **kwargs):
        if kwargs.get("max_length") is None:
            raise TypeError("a text field states its limit: max_length (core.text)")
        super().__init__(**kwargs)
        # Our own length message, naming the field and the limit (Django's names neither).
        self.validators = [v for v in self.validators if not isinstance(v, validators.MaxLengthValidator)]
        self.multiline = isinstance(self.widget, forms.Textarea) if multiline is None else multiline
        if self.multiline and not self.help_text:
            self.help_text = _limit_hint(self.max_length)

    def to_python(self, value):
        typed = value not in self.empty_values and str(value).strip()
        value = super().to_python(value)
        if isinstance(value, str):
            value = normalise(value, multiline=self.multiline)
            if typed and not value and self.required:
                raise ValidationError(empty_message(self.label or ""), code="invisible")
            if not value:
                value = self.empty_value
        return value

    def run_validators(self, value):
        if isinstance(value, str) and len(value) > self.max_length:
            raise ValidationError(
                too_long_message(self.label or "", self.max_length, len(value)), code="max_length"
            )
        super().run_validators(value)


# -- models ---------------------------------------------------------------------------------------------------


def _remember_loaded_texts(sender, instance, **kwargs) -> None:
    """The texts an object had when it was built or read, so that saving it again with an old text longer than
    today's limit (written before the limit existed) is not refused; only a changed text is measured."""
    instance._texts_as_loaded = {name: instance.__dict__.get(name) for name in _text_attnames(sender)}


@cache
def _text_attnames(model) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields if isinstance(field, _Normalised))


class _Normalised:
    multiline = False

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:
            post_init.connect(_remember_loaded_texts, sender=cls, dispatch_uid=f"texts-{cls._meta.label}")

    def deconstruct(self):
        # Migrations see Django's own field: normalising is behaviour, not schema, and the migrations stay
        # free of this module.
        name, _path, args, kwargs = super().deconstruct()
        return name, f"django.db.models.{self._django_class.__name__}", args, kwargs

    def to_python(self, value):
        return normalise(super().to_python(value), multiline=self.multiline)

    def formfield(self, **kwargs):
        defaults = {"form_class": NormalisedFormField, "multiline": self.multiline}
        if self.multiline and self.max_length and not self.choices:
            hint = _limit_hint(self.max_length)
            defaults["help_text"] = f"{self.help_text}（{hint}）" if self.help_text else hint
        defaults.update(kwargs)
        if self.choices:
            defaults.pop("form_class"), defaults.pop("multiline")
        return super().formfield(**defaults)

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if not isinstance(value, str) or getattr(model_instance, "instance_type", None) is not None:
            return value  # a historical copy (simple-history) repeats what its object already passed
        typed = value.strip()
        value = normalise(value, multiline=self.multiline)
        setattr(model_instance, self.attname, value)
        if typed and not value and not self.blank:
            raise ValidationError({self.name: empty_message(self.verbose_name)}, code="invisible")
        loaded = getattr(model_instance, "_texts_as_loaded", {}).get(self.attname)
        changed = add or model_instance._state.adding or normalise(loaded, self.multiline) != value
        if self.max_length and len(value) > self.max_length and changed:
            raise ValidationError(
                {self.name: too_long_message(self.verbose_name, self.max_length, len(value))},
                code="max_length",
            )
        return value


class NormalisedCharField(_Normalised, models.CharField):
    """A single-line text column: normalised, `max_length` required (the database enforces it too)."""

    _django_class = models.CharField


class NormalisedTextField(_Normalised, models.TextField):
    """A multi-line text column: normalised, newlines and tabs kept; `max_length` required (NOTE_MAX or
    LONG_TEXT_MAX), checked by forms, `full_clean`, the API and `save()` (not by the database)."""

    multiline = True
    _django_class = models.TextField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))
