"""Forms of the election's pages. They only parse input: the rules and their Chinese messages are in
`services`, whose ValidationError keys match the field names here."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.candidacies.forms import DateInput, notice_end_for
from yanzhen.candidacies.models import NegativeListItem
from yanzhen.candidacies.rules import rules_for
from yanzhen.core.forms import StyledForm
from yanzhen.core.guards import today
from yanzhen.core.text import NormalisedFormField
from yanzhen.elections.models import ReviewDepartment
from yanzhen.people.models import Person
from yanzhen.pickers.fields import PersonPickerField
from yanzhen.posts.models import PostType


def date_field(label, *, required: bool = False, initial=None) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput, initial=initial)


def percent_field(label, initial: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=5, decimal_places=2, initial=Decimal(initial)
    )


class CompactForm(StyledForm):
    small = True


class ElectionForm(CompactForm):
    """The plan of an election: its number, period, term and the structure targets (national defaults)."""

    number = forms.IntegerField(label=_("election number"), required=False, min_value=1, max_value=999)
    starts_on = date_field(_("election period start"))
    ends_on = date_field(_("election period end"))
    term_years = forms.IntegerField(label=_("term length in years"), required=False, initial=5)
    one_shoulder_pct = percent_field(_("一肩挑 share target (%)"), "90")
    woman_each_committee = forms.BooleanField(
        label=_("at least one woman on each committee"), required=False, initial=True
    )
    young_each_village = forms.BooleanField(
        label=_("at least one member aged 35 or under per village"), required=False, initial=True
    )
    college_pct = percent_field(_("大专 or above share target (%)"), "50")
    younger_and_better = forms.BooleanField(
        label=_("average age lower and education higher (一降一升)"), required=False, initial=True
    )
    cross_post_pct = percent_field(_("交叉任职 share target (%)"), "50")
    warning_months = forms.IntegerField(
        label=_("warn of terms ending within (months)"), required=False, initial=6, min_value=0
    )
    note = NormalisedFormField(label=_("note"), required=False, max_length=200)

    def values(self) -> dict:
        """The service's keyword arguments: a field left empty keeps the model's default (or the plan's)."""
        data = dict(self.cleaned_data)
        for name in ("term_years", "one_shoulder_pct", "college_pct", "cross_post_pct", "warning_months"):
            if data.get(name) is None:
                data.pop(name, None)
        return data


class AdvanceForm(forms.Form):
    to = forms.CharField(max_length=12)


class ProposeForm(CompactForm):
    """Put a person on the slate: from the suggestions (the person posted as an id) or found by typing."""

    person = PersonPickerField(queryset=Person.objects.none(), label=_("person"), required=False)
    post_type = forms.ModelChoiceField(queryset=PostType.objects.none(), label=_("post"), required=False)
    also_chair = forms.BooleanField(label=_("also stands for chair (一肩挑)"), required=False)

    def __init__(self, *args, user, post_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("person").queryset = Person.objects.restrict(user)
        self.model_field("post_type").queryset = PostType.objects.filter(pk__in=[p.pk for p in post_types])

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("person") and "person" not in self.errors:
            self.add_error("person", "请选择人选")
        if not cleaned.get("post_type") and "post_type" not in self.errors:
            self.add_error("post_type", "请选择参选职位")
        return cleaned


class WithdrawForm(CompactForm):
    reason = NormalisedFormField(label=_("reason for withdrawal"), required=False, max_length=200)
    on = date_field(_("withdrawn on"), initial=today)


PASSED_CHOICES = [("1", _("Passed")), ("0", _("Failed the review"))]


class ReplyForm(CompactForm):
    """One department's reply on one candidate (资格联审)."""

    department = forms.ModelChoiceField(
        queryset=ReviewDepartment.objects.all(), label=_("department"), required=False
    )
    passed = forms.TypedChoiceField(
        label=_("opinion"),
        choices=PASSED_CHOICES,
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = NormalisedFormField(label=_("reason"), required=False, max_length=200)
    replied_on = date_field(_("replied on"), initial=today)
    negative_items = forms.ModelMultipleChoiceField(
        queryset=NegativeListItem.objects.all(),
        label=_("negative list items"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("department") and "department" not in self.errors:
            self.add_error("department", "请选择联审部门")
        return cleaned


class PubliciseForm(CompactForm):
    start = date_field(_("notice start"), initial=today)
    end = date_field(_("notice end"))
    supervision_phone = NormalisedFormField(label=_("supervision phone"), required=False, max_length=40)

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end"].initial = notice_end_for(village, today())
        self.fields["supervision_phone"].initial = rules_for(village).supervision_phone

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for name, message in (("start", "请填写公示开始日期"), ("end", "请填写公示结束日期")):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        return cleaned


class ResultsForm(CompactForm):
    """A village's results: one date, and for each committee seat the person elected (from the slate) and the
    votes (optional). Seats left empty are not recorded. `prefix` tells the villages of a township apart."""

    elected_on = date_field(_("elected on"))

    def __init__(self, *args, village, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.village = village
        self.seats = seats  # selectors.SeatChoice
        for choice in seats:
            seat = choice.seat
            label = seat.post_type.name + (f" {seat.number}" if seat.number > 1 else "")
            options = [("", "—")] + [
                (str(c.person_id), c.person.name + (f"（{_('一肩挑')}）" if c.also_chair else ""))
                for c in choice.candidates
            ]
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(
                label=label,
                choices=options,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"votes_{seat.pk}"] = forms.IntegerField(
                label=_("votes"),
                required=False,
                min_value=0,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "class": "form-control form-control-sm yz-number-input"}
                ),
            )

    def rows(self):
        """(seat, person field, votes field) for the template."""
        return [(c.seat, self[f"seat_{c.seat.pk}"], self[f"votes_{c.seat.pk}"]) for c in self.seats]

    def is_blank(self) -> bool:
        """Nothing entered (a village of the township form left for later)."""
        data = self.cleaned_data
        return not data.get("elected_on") and not any(data.get(f"seat_{c.seat.pk}") for c in self.seats)

    def entries(self):
        from yanzhen.elections.services import Elected

        people = {c.person_id: c.person for choice in self.seats for c in choice.candidates}
        found = []
        for choice in self.seats:
            chosen = self.cleaned_data.get(f"seat_{choice.seat.pk}")
            if chosen:
                found.append(
                    Elected(
                        choice.seat, people[int(chosen)], self.cleaned_data.get(f"votes_{choice.seat.pk}")
                    )
                )
        return found


class HandoverForm(CompactForm):
    audit_done = forms.BooleanField(label=_("economic responsibility audit done"), required=False)
    handed_over_on = date_field(_("handed over on"))
    note = NormalisedFormField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["placeholder"] = str(_("note"))
        self.fields["handed_over_on"].widget.attrs["title"] = str(_("handed over on"))
