from typing import cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NormalisedFormField
from yanzhen.divisions.models import FIRST_INCOME_YEAR, LAST_INCOME_YEAR, Division, Industry, VillageTag


def _coordinate(name: str, bound: int) -> forms.DecimalField:
    """A latitude or longitude of a village: optional, between -bound and bound, to six decimals."""
    model_field = cast(models.Field, Division._meta.get_field(name))
    return forms.DecimalField(
        label=model_field.verbose_name,
        required=False,
        min_value=-bound,
        max_value=bound,
        decimal_places=6,
    )


class VillageAttributesForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        label=_("type tags"),
        queryset=VillageTag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industries = forms.ModelMultipleChoiceField(
        label=_("main industries"),
        queryset=Industry.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    latitude = _coordinate("latitude", 90)
    longitude = _coordinate("longitude", 180)

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class VillageIncomeForm(StyledForm):
    """One year of a village's collective income (a year already recorded is corrected)."""

    year = forms.IntegerField(label=_("year"), min_value=FIRST_INCOME_YEAR, max_value=LAST_INCOME_YEAR)
    amount = forms.DecimalField(
        label=_("collective income (10,000 yuan)"), min_value=0, max_digits=12, decimal_places=2
    )
    note = NormalisedFormField(label=_("note"), max_length=200, required=False)
