from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NOTE_MAX, NormalisedFormField
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.pickers.fields import DivisionPickerField, PersonPickerField
from yanzhen.rankings.models import ContestKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WeightsForm(StyledForm):
    weight_income_growth = forms.IntegerField(
        label=_("growth of the collective income"), min_value=0, max_value=100
    )
    weight_coverage = forms.IntegerField(label=_("key posts with a reserve"), min_value=0, max_value=100)
    weight_monthly = forms.IntegerField(label=_("the committee's monthly scores"), min_value=0, max_value=100)
    weight_satisfaction = forms.IntegerField(label=_("villagers' satisfaction"), min_value=0, max_value=100)


class ContestForm(StyledForm):
    organiser = forms.ModelChoiceField(label=_("organiser"), queryset=Division.objects.none())
    name = NormalisedFormField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=ContestKind.choices)
    held_on = forms.DateField(label=_("date"), widget=DATE)
    subject = NormalisedFormField(label=_("subject"), max_length=200, required=False)
    note = NormalisedFormField(
        label=_("note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("organiser").queryset = (
            organisers if organisers is not None else Division.objects.none()
        )


class ResultForm(StyledForm):
    small = True
    person = PersonPickerField(label=_("person"), queryset=Person.objects.none(), required=False)
    village = DivisionPickerField(
        label=_("village"), queryset=Division.objects.none(), required=False, kind="village"
    )
    rank = forms.IntegerField(label=_("rank"), min_value=1, max_value=999, required=False)
    award = NormalisedFormField(label=_("award"), max_length=50, required=False)
    score = forms.DecimalField(
        label=_("score"), min_value=0, max_value=1000, decimal_places=2, required=False
    )
    note = NormalisedFormField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, people=None, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("person").queryset = people if people is not None else Person.objects.none()
        self.model_field("village").queryset = villages if villages is not None else Division.objects.none()
