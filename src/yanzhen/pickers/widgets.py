"""Selects that a type-ahead fills from a scoped endpoint (`static/yanzhen/pickers.js`, Tom Select).

Only the chosen options are rendered, never the hundreds a county holds: on a form re-rendered after an
error the chosen people come back as options already selected, and without JavaScript the page still
submits what was chosen."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class PickerMixin:
    """Renders `data-picker` (the endpoint) and the Chinese texts of the dropdown as data attributes."""

    def __init__(self, url, *, placeholder=None, attrs=None):
        super().__init__(attrs)
        self.url = url
        self.placeholder = placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.update(
            {
                "data-picker": str(self.url),
                "data-placeholder": str(self.placeholder or _("Type a name, pinyin initials or ID tail")),
                "data-no-results": str(_("No matches")),
                "data-loading": str(_("Loading…")),
                "data-more": str(_("Only the first matches are shown: type more to narrow them down.")),
            }
        )
        return context

    def chosen(self, values) -> list[tuple[str, str]]:
        """(value, label) of the chosen records that the field's queryset (the user's scope) still holds."""
        wanted = [str(value) for value in values if value not in (None, "")]
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        if not wanted or queryset is None:
            return []
        try:
            records = list(queryset.filter(pk__in=wanted))
        except (ValueError, TypeError, ValidationError):
            return []
        by_key = {str(record.pk): record for record in records}
        label = iterator.field.label_from_instance
        return [(key, label(by_key[key])) for key in dict.fromkeys(wanted) if key in by_key]

    def optgroups(self, name, value, attrs=None):
        options = []
        if not self.allow_multiple_selected:
            # An empty first option lets Tom Select show the placeholder and submit "nothing chosen".
            options.append(self.create_option(name, "", "", not any(value), 0, attrs=attrs))
        for index, (key, label) in enumerate(self.chosen(value), start=len(options)):
            options.append(self.create_option(name, key, label, True, index, attrs=attrs))
        return [(None, options, 0)]


class PickerSelect(PickerMixin, forms.Select):
    """One record, chosen by typing."""


class PickerSelectMultiple(PickerMixin, forms.SelectMultiple):
    """Several records, chosen by typing one after the other."""
