from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.divisions.models import Division, Industry, VillageTag


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
    latitude = forms.DecimalField(
        label=Division._meta.get_field("latitude").verbose_name,
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=6,
    )
    longitude = forms.DecimalField(
        label=Division._meta.get_field("longitude").verbose_name,
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=6,
    )

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data
