"""Forms of 待遇保障 (`core.forms.StyledForm`): they parse; the services judge (the amounts, percentages, dates
and choices are checked again there, for the API too)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NOTE_MAX, NormalisedFormField
from yanzhen.posts.models import PostType, TermEndReason
from yanzhen.welfare.models import InsuranceKind
from yanzhen.welfare.services import GRADE_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


def _month_field(label) -> forms.DateField:
    return forms.DateField(label=label, widget=MONTH, input_formats=MONTH_FORMATS)


def _money_field(label) -> forms.DecimalField:
    # The service refuses a negative amount or one over the limit with its own message (the API shares it).
    return forms.DecimalField(label=label, max_digits=12, decimal_places=4)


class SchemeForm(StyledForm):
    post_type = forms.ModelChoiceField(label=_("Post"), queryset=PostType.objects.order_by("order", "name"))
    effective_from = _month_field(_("effective from (month)"))
    base = _money_field(_("base pay (yuan a month)"))
    allowance = _money_field(_("allowance (yuan a month)"))
    performance = _money_field(_("performance base (yuan a month)"))


class PerformanceForm(StyledForm):
    effective_from = _month_field(_("effective from (month)"))
    excellent = forms.IntegerField(label=f"{GRADE_LABELS['excellent']}（%）")
    competent = forms.IntegerField(label=f"{GRADE_LABELS['competent']}（%）")
    basically_competent = forms.IntegerField(label=f"{GRADE_LABELS['basically_competent']}（%）")
    incompetent = forms.IntegerField(label=f"{GRADE_LABELS['incompetent']}（%）")


class KindsForm(StyledForm):
    kinds = forms.MultipleChoiceField(
        label=_("insurance every sitting cadre must hold"),
        choices=InsuranceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def parse_bands(text: str) -> list[tuple[int, Decimal]]:
    """One band a line: years served and the monthly amount, e.g. "10 300" (a colon or comma also separates)."""
    bands = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.replace("：", " ").replace(":", " ").replace(",", " ").replace("，", " ").split()
        if not parts:
            continue
        try:
            if len(parts) != 2:
                raise ValueError
            bands.append((int(parts[0]), Decimal(parts[1])))
        except (ValueError, InvalidOperation):
            raise ValidationError(f"第 {number} 行应为“任职年限 每月金额”，如：10 300") from None
    return bands


class AllowanceForm(StyledForm):
    min_age = forms.IntegerField(label=_("age reached"))
    post_types = forms.MultipleChoiceField(
        label=_("qualifying posts"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: the key posts (村党组织书记 and 村委会主任)."),
    )
    disqualifying = forms.MultipleChoiceField(
        label=_("disqualifying end reasons"),
        choices=TermEndReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    bands = NormalisedFormField(
        label=_("monthly amount by years served"),
        max_length=500,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One band a line: years served and the monthly amount in yuan, e.g. 10 300 and 15 500."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["post_types"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(post.code, post.name) for post in PostType.objects.order_by("order", "name")]

    def clean_bands(self):
        return parse_bands(self.cleaned_data["bands"])


class PolicyForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind of insurance"), choices=InsuranceKind.choices)
    insurer = NormalisedFormField(label=_("insurer or scheme"), max_length=100)
    starts_on = forms.DateField(label=_("start"), widget=DATE)
    ends_on = forms.DateField(
        label=_("last day covered"), widget=DATE, required=False, help_text=_("Empty while it runs on.")
    )
    note = NormalisedFormField(label=_("note"), max_length=NOTE_MAX, required=False)


class CheckForm(StyledForm):
    checked_on = forms.DateField(label=_("date of the check"), widget=DATE)
    institution = NormalisedFormField(label=_("institution"), max_length=100)
