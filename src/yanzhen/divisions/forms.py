from typing import cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from yanzhen.divisions.models import Division, Industry, VillageTag


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
    collective_income = forms.DecimalField(
        label=Division._meta.get_field("collective_income").verbose_name,
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    latitude = _coordinate("latitude", 90)
    longitude = _coordinate("longitude", 180)

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data
