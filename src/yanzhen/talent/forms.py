"""The forms of the 9-box pages: a potential rating (direct or in a calibration session) and a new session."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NOTE_MAX, NormalisedFormField
from yanzhen.talent.models import REASON_MAX, Potential

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RatingForm(StyledForm):
    small = True
    rating = forms.ChoiceField(label=_("potential"), choices=Potential.choices)
    reason = NormalisedFormField(label=_("reason"), max_length=REASON_MAX)


class ChangeForm(RatingForm):
    person = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SessionForm(StyledForm):
    township = forms.ChoiceField(label=_("township"))
    held_on = forms.DateField(label=_("held on"), widget=DATE)
    participants = NormalisedFormField(
        label=_("session participants"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = NormalisedFormField(
        label=_("note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["township"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.code, t.name) for t in townships]
