"""The forms of the county's filing pages (备案/审批): its settings, an approval, a refusal, filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.candidacies.filing import REASON_MAX
from yanzhen.candidacies.models import FilingMode, FilingState, FilingStep
from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NormalisedFormField


class FilingSettingsForm(StyledForm):
    entry = forms.ChoiceField(
        label=_("Entry into the pool (入库) by a township"),
        choices=FilingMode.choices,
        widget=forms.RadioSelect,
    )
    removal = forms.ChoiceField(
        label=_("Removal from the pool (出库) by a township"),
        choices=FilingMode.choices,
        widget=forms.RadioSelect,
    )


class ApproveForm(StyledForm):
    note = NormalisedFormField(label=_("Note"), required=False, max_length=REASON_MAX)


class RefuseForm(StyledForm):
    reason = NormalisedFormField(label=_("Reason of the refusal"), max_length=REASON_MAX)


def _choices(choices, everything) -> list[tuple[str, str]]:
    return [("", everything), *choices]


class FilingFilterForm(StyledForm):
    small = True
    state = forms.ChoiceField(
        label=_("state"), required=False, choices=_choices(FilingState.choices, _("all states"))
    )
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=_choices(FilingMode.choices[1:], _("all"))
    )
    step = forms.ChoiceField(label=_("step"), required=False, choices=_choices(FilingStep.choices, _("all")))
    q = NormalisedFormField(label=_("Name"), required=False, max_length=50)
