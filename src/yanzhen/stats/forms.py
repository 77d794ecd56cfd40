from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.stats.services import AGE_RANGE


class ThresholdsForm(forms.Form):
    secretary_age = forms.IntegerField(
        label=_("Age of a secretary who needs a ready-now reserve"),
        min_value=AGE_RANGE[0],
        max_value=AGE_RANGE[1],
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    committee_average_age = forms.IntegerField(
        label=_("Highest average age of a village committee"),
        min_value=AGE_RANGE[0],
        max_value=AGE_RANGE[1],
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
