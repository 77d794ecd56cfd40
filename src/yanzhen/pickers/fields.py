"""Form fields whose widget is a type-ahead picker. The queryset (set by the form from the user's scope)
validates what was posted; the endpoint only proposes."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from yanzhen.pickers import labels
from yanzhen.pickers.widgets import PickerSelect, PickerSelectMultiple


def _url(name: str, **params) -> str:
    url = str(reverse_lazy(name))
    return f"{url}?{urlencode(params)}" if params else url


endpoint = lazy(_url, str)


def people_endpoint(*, kind: str = "", within: str = "") -> str:
    params = {name: value for name, value in (("kind", kind), ("within", within)) if value}
    return endpoint("pickers:people", **params)


class PersonPickerField(forms.ModelChoiceField):
    def __init__(self, *args, kind: str = "", **kwargs):
        kwargs.setdefault("widget", PickerSelect(people_endpoint(kind=kind)))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, person):
        return labels.person_label(person)


class PeoplePickerField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, kind: str = "", **kwargs):
        kwargs.setdefault("widget", PickerSelectMultiple(people_endpoint(kind=kind)))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, person):
        return labels.person_label(person)


class DivisionPickerField(forms.ModelChoiceField):
    def __init__(self, *args, kind: str = "", **kwargs):
        kwargs.setdefault(
            "widget",
            PickerSelect(
                endpoint("pickers:divisions", **({"kind": kind} if kind else {})),
                placeholder=_("Type the name of a township or village"),
            ),
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, division):
        return labels.division_label(division)


class MentorsPickerField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            PickerSelectMultiple(endpoint("pickers:mentors"), placeholder=_("Type a mentor's name or unit")),
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, mentor):
        return labels.mentor_label(mentor)


class VillagesPickerField(forms.ModelMultipleChoiceField):
    """Several villages, typed by name (the pairs of villages)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            PickerSelectMultiple(
                endpoint("pickers:divisions", kind="village"), placeholder=_("Type the name of a village")
            ),
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, division):
        return labels.division_label(division)


class ProspectsPickerField(forms.ModelMultipleChoiceField):
    """Prospects of 雏雁计划 (an event's invitees)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            PickerSelectMultiple(
                endpoint("pickers:prospects"), placeholder=_("Type a name, village or city")
            ),
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, prospect):
        return labels.prospect_label(prospect)
