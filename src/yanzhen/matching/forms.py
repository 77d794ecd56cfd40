"""Forms of the matching pages. They only parse input; the rules and their Chinese messages live in the
services, whose errors `core.forms.add_service_errors` puts back on the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.candidacies.models import Readiness
from yanzhen.core.forms import StyledForm
from yanzhen.core.text import LONG_TEXT_MAX, NOTE_MAX, NormalisedFormField
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division, Industry
from yanzhen.divisions.place_filter import JurisdictionPlaceMixin
from yanzhen.matching.models import MatchingWeights, PlacementKind
from yanzhen.matching.services import WEIGHT_BOUNDS, WEIGHT_FIELDS
from yanzhen.people.codes import EducationBand, Gender
from yanzhen.people.models import Skill
from yanzhen.posts.models import PostType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


NO_PREFERENCE = _("No preference")


def _with_empty(choices, empty=NO_PREFERENCE):
    return [("", empty), *choices]


class DemandForm(StyledForm):
    posts = forms.ModelMultipleChoiceField(
        label=_("posts needing reserves"),
        queryset=PostType.objects.filter(is_practice=False).order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("skills wanted"),
        queryset=Skill.objects.order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industries = forms.ModelMultipleChoiceField(
        label=_("industries wanted"),
        queryset=Industry.objects.order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minimum_age = forms.IntegerField(label=_("preferred minimum age"), required=False)
    maximum_age = forms.IntegerField(label=_("preferred maximum age"), required=False)
    education_band = forms.ChoiceField(
        label=_("preferred education"), choices=_with_empty(EducationBand.choices), required=False
    )
    preferred_gender = forms.ChoiceField(
        label=_("preferred sex (for balance)"), choices=_with_empty(Gender.choices), required=False
    )
    notes = NormalisedFormField(
        max_length=NOTE_MAX, label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def weight_field(name: str) -> forms.IntegerField:
    low, high = WEIGHT_BOUNDS[name]
    return forms.IntegerField(
        label=MatchingWeights._meta.get_field(name).verbose_name, min_value=low, max_value=high
    )


class WeightsForm(StyledForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WEIGHT_FIELDS:
            self.fields[name] = weight_field(name)
            self.fields[name].widget.attrs["class"] = "form-control"


class SupplyFilterForm(JurisdictionPlaceMixin, StyledForm):
    """The filters of the supply list. The township and village (the village a reserve stands for) are drawn
    by the shared 乡镇 → 村 widget (`divisions.place_filter`), the other fields by the form loop."""

    PLACE_FIELDS = ("township", "village")

    skill = forms.ChoiceField(label=_("Skill"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    readiness = forms.ChoiceField(
        label=_("Readiness"), choices=_with_empty(Readiness.choices, _("All")), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["skill"].choices = [
            ("", _("All")),
            *((n, n) for n in Skill.objects.values_list("name", flat=True)),
        ]
        self.fields["industry"].choices = [
            ("", _("All")),
            *((n, n) for n in Industry.objects.values_list("name", flat=True)),
        ]

    def other_fields(self):
        return [field for field in self if field.name not in self.PLACE_FIELDS]

    def filters(self) -> dict:
        """The valid filters as `selectors.SupplyFilters` keywords: the village, else the township, narrows."""
        data = dict(self.cleaned_data)
        within = data.pop("village", "") or data.pop("township", "")
        data.pop("township", None)
        return {**data, "within": within}


class DivisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, division):
        return division.name


class PlacementForm(StyledForm):
    division = DivisionChoiceField(label=_("Township or county"), queryset=Division.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=PlacementKind.choices)
    start = forms.DateField(label=_("Start date"), widget=DATE)
    planned_end = forms.DateField(
        label=_("planned end"),
        required=False,
        widget=DATE,
        help_text=_("The last planned day; secondments only."),
    )
    mode = forms.ChoiceField(label=_("mode"), required=False)
    post_title = NormalisedFormField(label=_("post held at the host"), required=False, max_length=50)
    goals = NormalisedFormField(
        max_length=LONG_TEXT_MAX, label=_("goals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    capacity = forms.IntegerField(
        label=_("capacity of each host or mentor"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_("Empty: the county's setting (a mentor never above the cultivation cap)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = (
            Division.objects.restrict(user).filter(level__in=[Level.COUNTY, Level.TOWNSHIP]).order_by("code")
        )
        from django.apps import apps

        if apps.is_installed("yanzhen.cultivation"):
            from yanzhen.cultivation.models import SecondmentMode

            self.fields["mode"].choices = _with_empty(SecondmentMode.choices, "—")
