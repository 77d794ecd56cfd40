"""Forms of the duty pages. A holder is picked as "p<id>" (a sitting cadre) or "m<id>" (a work-team member)
from the village's own lists, so a value from elsewhere is not a choice (400)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NormalisedFormField
from yanzhen.duty import selectors

WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


def holder_choices(village_code: str, month) -> list[tuple[str, str]]:
    cadres = [(f"p{person.pk}", person.name) for person in selectors.sitting_in_month(village_code, month)]
    members = [
        (f"m{member.pk}", f"{member.name}（{_('work team')}）")
        for member in selectors.active_members(village_code)
    ]
    return cadres + members


class DutyForm(StyledForm):
    def choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])


class AssignmentForm(DutyForm):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    holder = forms.ChoiceField(label=_("On duty"))

    def __init__(self, *args, village_code: str, month, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_field("holder").choices = [("", "—")] + holder_choices(village_code, month)


class GenerateForm(StyledForm):
    replace = forms.BooleanField(label=_("Replace the month's entries without a check-in"), required=False)

    def __init__(self, *args, village_code: str, month, **kwargs):
        super().__init__(*args, **kwargs)
        choices = holder_choices(village_code, month)
        for weekday, label in enumerate(WEEKDAYS):
            self.fields[f"weekday_{weekday}"] = forms.MultipleChoiceField(
                label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
            )
        self.order_fields([f"weekday_{weekday}" for weekday in range(7)] + ["replace"])

    def weekday_fields(self):
        return [self[f"weekday_{weekday}"] for weekday in range(7)]


class MemberForm(StyledForm):
    name = NormalisedFormField(label=_("Name"), max_length=50)
    unit = NormalisedFormField(label=_("Dispatching unit"), max_length=100)
    active = forms.BooleanField(label=_("Active (may be on the rota)"), required=False, initial=True)


class LeaveForm(StyledForm):
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = NormalisedFormField(label=_("Reason"), max_length=200)


class ClerkLeaveForm(LeaveForm, DutyForm):
    person = forms.ChoiceField(label=_("Cadre"))

    def __init__(self, *args, village_code: str, month, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_field("person").choices = [("", "—")] + [
            (str(person.pk), person.name) for person in selectors.sitting_in_month(village_code, month)
        ]
        self.order_fields(["person", "start", "end", "reason"])


class CheckInForm(StyledForm):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    note = NormalisedFormField(label=_("Note (optional)"), max_length=200, required=False)


class AttendanceItemForm(DutyForm):
    attendance_item = forms.ChoiceField(label=_("Scoring item fed by attendance"), required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_field("attendance_item").choices = [("", _("None (attendance feeds no item)"))] + [
            (str(item.pk), f"{item.name}（{item.points}）") for item in items
        ]
