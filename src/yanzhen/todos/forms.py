from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NormalisedFormField


class ContactsForm(StyledForm):
    """The phone and e-mail reminders go to (the rules × channels ticks are read beside it, `wanted_of`)."""

    phone = NormalisedFormField(
        label=_("Mobile phone for SMS"),
        required=False,
        max_length=20,
        help_text=_("Leave empty to keep the one given before."),
    )
    clear_phone = forms.BooleanField(label=_("Remove my phone"), required=False)
    email = NormalisedFormField(label=_("E-mail"), required=False, max_length=254)


def field_name(rule: str, channel: str) -> str:
    return f"want:{rule}:{channel}"


def wanted_of(data) -> set[tuple[str, str]]:
    """The (rule, channel) pairs ticked on the preferences page."""
    found = set()
    for key in data:
        parts = key.split(":")
        if len(parts) == 3 and parts[0] == "want":
            found.add((parts[1], parts[2]))
    return found
