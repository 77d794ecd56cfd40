from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import LONG_TEXT_MAX, NormalisedFormField
from yanzhen.divisions.models import Division
from yanzhen.pickers.fields import VillagesPickerField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SurveyForm(StyledForm):
    title = NormalisedFormField(label=_("title"), max_length=100)
    intro = NormalisedFormField(
        label=_("introduction"),
        max_length=LONG_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start = forms.DateField(label=_("first day"), widget=DATE)
    end = forms.DateField(label=_("last day"), widget=DATE)
    satisfaction_questions = NormalisedFormField(
        label=_("Satisfaction questions (one a line)"),
        max_length=LONG_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Answered 很满意 / 满意 / 基本满意 / 不满意 / 很不满意. Editable while the survey is a draft."
        ),
    )
    yes_no_questions = NormalisedFormField(
        label=_("Yes or no questions (one a line)"),
        max_length=LONG_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    townships = forms.ModelMultipleChoiceField(
        label=_("Every village of these townships"),
        queryset=Division.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    villages = VillagesPickerField(
        label=_("And these villages"), queryset=Division.objects.none(), to_field_name="code", required=False
    )
    feeds_rankings = forms.BooleanField(
        label=_("Count the villages' satisfaction in the villages compared"), required=False
    )

    def __init__(self, *args, townships=None, villages=None, questions_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["townships"].queryset = townships if townships is not None else Division.objects.none()  # type: ignore[attr-defined]
        self.fields["villages"].queryset = villages if villages is not None else Division.objects.none()  # type: ignore[attr-defined]
        if questions_locked:
            for name in ("satisfaction_questions", "yes_no_questions"):
                self.fields[name].disabled = True

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        codes = [v.code for v in data.pop("villages") or []]
        for township in data.pop("townships") or []:
            codes += list(
                Division.objects.filter(parent=township)
                .administrative_villages()
                .values_list("code", flat=True)
            )
        data["villages"] = list(dict.fromkeys(codes))
        data["satisfaction_questions"] = _lines(data["satisfaction_questions"])
        data["yes_no_questions"] = _lines(data["yes_no_questions"])
        return data


class ScoreItemForm(StyledForm):
    score_item = forms.ChoiceField(label=_("Scoring item fed by satisfaction"), required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["score_item"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("None (satisfaction feeds no item)"))] + [
            (str(item.pk), f"{item.name}（{item.points}）") for item in items
        ]
