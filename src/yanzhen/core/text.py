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
constants below. `NormalisedCharField` and `NormalisedTextField` carry the rule into the models and their
`save()` (the last line for writes that come through no form: the API, imports, services);
`NormalisedFormField` into every form (a textarea gets `maxlength` and shows the limit); `Line` and
`Multiline` into API schemas. docs/security.md, "Invisible and overlong text", has the table.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

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
_FILLERS = "\u115f\u1160\u3164\uffa0"
_SINGLE_LINE_BREAKS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_MULTI_LINE_BREAKS = "\x0b\x0c\u2028\u2029"
# Where Unicode puts format characters: planes 0 and 1, and the tags of plane 14 (planes 2-13 hold letters).
_PLANES_WITH_FORMAT_CHARACTERS = (range(0x20000), range(0xE0000, 0xE1000))


def _character_class(characters) -> re.Pattern:
    codes = sorted({ord(character) for character in characters})
    ranges, start = [], None
    for index, code in enumerate(codes):
        start = code if start is None else start
        if index + 1 == len(codes) or codes[index + 1] != code + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(code)) if code != start else ""))
            start = None
    return re.compile("[" + "".join(ranges) + "]")


@cache
def _patterns(multiline: bool) -> tuple[re.Pattern, re.Pattern, str]:
    """(what is dropped, what is a line break, what a line break becomes) for one kind of field; built once."""
    breaks = _MULTI_LINE_BREAKS if multiline else _SINGLE_LINE_BREAKS
    kept = "\n\t" if multiline else ""
    dropped = set(_FILLERS)
    for plane in _PLANES_WITH_FORMAT_CHARACTERS:
        for code in plane:
            character = chr(code)
            if unicodedata.category(character) in ("Cf", "Cs", "Cc") and character not in breaks + kept:
                dropped.add(character)
    return _character_class(dropped), _character_class(breaks), "\n" if multiline else " "


def normalise(value, multiline: bool = False):
    """The text as it is stored (see the module's docstring); None and non-text values pass unchanged."""
    if not isinstance(value, str):
        return value
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not (value.isascii() and value.isprintable()):
        dropped, breaks, line_break = _patterns(multiline)
        value = unicodedata.normalize("NFC", dropped.sub("", breaks.sub(line_break, value)))
    return value.strip()


# Joins the texts that `normalise_all` normalises in one pass: not dropped, not a line break, and NFC neither
# composes nor reorders anything across it (a starter that is no part of any composition).
_JOINER = "|"


def normalise_all(values: list[str]) -> list[str]:
    """`normalise` of each of many single-line texts (an import's hundreds of thousands of names), the same
    results in a quarter of the time: the texts are normalised joined into one, then split and stripped. When a
    text contains the joiner itself, each is normalised alone."""
    joined = _JOINER.join(values)
    if not values or joined.count(_JOINER) != len(values) - 1:
        return [normalise(value) for value in values]
    return [part.strip() for part in normalise(joined).split(_JOINER)]


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
        if isinstance(field, models.Field) and isinstance(value, str) and limit and len(value) > limit:
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
        if isinstance(value, str) and self.max_length is not None and len(value) > self.max_length:
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


# The mixin below is always combined with a Django field; the type checker is told so (at run time its base
# is object, so that the MRO stays the concrete field's own).
if TYPE_CHECKING:
    _FieldBase = models.Field[Any, Any]
else:
    _FieldBase = object


class _Normalised(_FieldBase):
    multiline = False
    _django_class: type[models.Field[Any, Any]]

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
        if self.choices:
            return super().formfield(**kwargs)
        return super().formfield(**{"form_class": NormalisedFormField, "multiline": self.multiline, **kwargs})

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
