"""The one styled form base and the one way a service's refusal reaches a form.

Services raise Django's `ValidationError` keyed by field (see `core.guards`); a page shows each message on its
field, or above the form for a key the form does not have (`__all__`, or a field of another step). The
`is-invalid` marking of a field in error is the form renderer's (`core.form_rendering`), not the form's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import cast

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.Form, invalid: ValidationError, rename: Mapping[str, str | None] | None = None
) -> None:
    """A service's errors keyed by field go on that field; other keys become form-wide errors. `rename` maps
    a service's field to the form's (None: form-wide) where the form names it otherwise."""
    if not hasattr(invalid, "error_dict"):
        form.add_error(None, invalid.messages)
        return
    for name, messages in invalid.message_dict.items():
        target = (rename or {}).get(name, name)
        form.add_error(target if target in form.fields else None, messages)


def run_service(
    form: forms.Form,
    call: Callable[[], object],
    *,
    within: AbstractContextManager | None = None,
    rename: Mapping[str, str | None] | None = None,
) -> bool:
    """Call a service for a valid form, inside `within` when given (`versioning.saving(...)`): True when it
    went through, False when it refused, its messages then on the form (`add_service_errors`)."""
    try:
        with within or nullcontext():
            call()
    except ValidationError as invalid:
        add_service_errors(form, invalid, rename)
        return False
    return True


def bootstrap_class(widget: forms.Widget, *, small: bool = False) -> str | None:
    """Bootstrap's class for a widget; None for a group of checkboxes or radios (each input styles itself)."""
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return None
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select form-select-sm" if small else "form-select"
    return "form-control form-control-sm" if small else "form-control"


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes (`small = True` for the compact forms of a board). A
    widget that already names a `form-…` class of its own keeps it."""

    small = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = bootstrap_class(field.widget, small=self.small)
            current = field.widget.attrs.get("class", "")
            if css and not any(name.startswith("form-") for name in current.split()):
                field.widget.attrs["class"] = f"{current} {css}".strip()

    def model_field(self, name: str) -> forms.ModelChoiceField:
        """A model choice field by name, typed, to narrow its queryset to the user's jurisdiction:
        `self.model_field("person").queryset = people_of(user)`."""
        return cast(forms.ModelChoiceField, self.fields[name])
