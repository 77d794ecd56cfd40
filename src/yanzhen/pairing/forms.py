from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import LONG_TEXT_MAX, NOTE_MAX, NormalisedFormField
from yanzhen.divisions.models import Division
from yanzhen.pairing.models import PairKind
from yanzhen.pickers.fields import VillagesPickerField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PairForm(StyledForm):
    name = NormalisedFormField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=PairKind.choices, widget=forms.RadioSelect)
    helpers = VillagesPickerField(
        label=_("Helping or partner villages"), queryset=Division.objects.none(), to_field_name="code"
    )
    helped = VillagesPickerField(
        label=_("Helped villages"),
        queryset=Division.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_("强弱联合 only."),
    )
    start = forms.DateField(label=_("start"), widget=DATE)
    end = forms.DateField(label=_("end"), widget=DATE, required=False)
    goals = NormalisedFormField(
        label=_("goals"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("helpers", "helped"):
            self.fields[name].queryset = villages if villages is not None else Division.objects.none()  # type: ignore[attr-defined]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["helpers"] = [v.code for v in data["helpers"]]
        data["helped"] = [v.code for v in data.get("helped") or []]
        return data


class ActivityForm(StyledForm):
    held_on = forms.DateField(label=_("date"), widget=DATE)
    title = NormalisedFormField(label=_("activity"), max_length=200)
    participants = NormalisedFormField(label=_("who took part"), max_length=500, required=False)
    note = NormalisedFormField(
        label=_("note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
