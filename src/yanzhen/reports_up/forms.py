from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NormalisedFormField
from yanzhen.reports_up.models import Kind


class SubmitForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind of report"), choices=Kind.choices)
    year = forms.IntegerField(label=_("year"), min_value=1949, max_value=9999)


class ReturnForm(StyledForm):
    note = NormalisedFormField(
        label=_("what to correct"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(StyledForm):
    file = forms.FileField(label=_("snapshot file (JSON)"))
