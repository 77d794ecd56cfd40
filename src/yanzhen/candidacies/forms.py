"""Forms of the pipeline pages. They only parse input: the rules and their Chinese messages are in
`workflow`, whose ValidationError keys match the field names here."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yanzhen.candidacies.models import (
    Candidacy,
    CandidacyState,
    NegativeListItem,
    NominationWay,
    Pairing,
    Readiness,
    RemovalReason,
)
from yanzhen.candidacies.rules import check_secretary_rules, earliest_notice_end, rules_for
from yanzhen.candidacies.workflow import SECRETARY, state_name
from yanzhen.core.forms import StyledForm
from yanzhen.core.guards import today
from yanzhen.core.text import LONG_TEXT_MAX, NOTE_MAX, NormalisedFormField
from yanzhen.divisions.models import Division
from yanzhen.holidays.calendar import missing_note
from yanzhen.people.models import Person
from yanzhen.pickers.fields import PersonPickerField
from yanzhen.posts.models import Destination, PostType, Seat

State = CandidacyState


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput, initial=today)


def note_field(label=None) -> forms.CharField:
    return NormalisedFormField(
        label=label or _("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX,
    )


def confirm_field(label) -> forms.BooleanField:
    """The server's half of the confirmation of an irreversible step (the page also asks in a dialog):
    without the box ticked the form is refused and nothing is written."""
    return forms.BooleanField(label=label, required=False)


class CompactForm(StyledForm):
    """The compact styled form of the pipeline pages (and of the holiday schedule). A field in error is
    marked `is-invalid` by the form renderer, whether the form or the workflow found it."""

    small = True

    def require_confirmation(self, message: Promise | str) -> None:
        if not self.cleaned_data.get("confirm"):
            self.add_error("confirm", str(message))


class StepForm(CompactForm):
    """The form of a transition (`transitions.Transition.form`): its cleaned data are the service's inputs.
    An irreversible step names its `confirmation`: without the box ticked it is refused with that message."""

    confirmation: Promise | str = ""

    def clean(self):
        cleaned = super().clean()
        if self.confirmation and self.needs_confirmation():
            self.require_confirmation(self.confirmation)
        return cleaned

    def needs_confirmation(self) -> bool:
        return True

    def values(self) -> dict:
        return dict(self.cleaned_data)

    def chosen_target(self, posted: str) -> str:
        """The state the answers lead to, for a form posted to the move to `posted`."""
        return posted


def follow_start(form: forms.Form, division: Division) -> None:
    """The end date follows the start date on the page (candidacies.js asks the server for the earliest
    legal end) until the clerk types an end of his own."""
    from django.urls import reverse

    url = f"{reverse('candidacies:notice-earliest-end')}?in={division.code}"
    form.fields["start"].widget.attrs.update(
        {"data-notice-end-url": url, "data-notice-end": f"#{form['end'].auto_id}"}
    )
    form.fields["end"].widget.attrs["data-notice-end-target"] = "1"


def notice_end_for(division: Division, start: date) -> date:
    """The earliest legal end of a 公示 starting on `start`: the county's working days counted with the
    holiday schedule (weekends only in a year without one: `holidays.calendar.missing_note` says so)."""
    return earliest_notice_end(start, rules_for(division).notice_working_days)


# The county holds hundreds of people: the nominee is chosen by typing (yanzhen.pickers).
PersonChoiceField = PersonPickerField


class TargetPostsWidget(forms.CheckboxSelectMultiple):
    """The target posts, each with the reason the rules refuse it for the chosen nominee; the whole box
    is drawn again (HTMX) when the nominee or the date changes."""

    template_name = "candidacies/widgets/target_posts.html"
    option_template_name = "candidacies/widgets/target_post_option.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.hints: dict[str, str] = {}
        self.refresh_url = ""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["refresh_url"] = self.refresh_url
        return context


def target_post_hints(person: Person, village: Division, on: date) -> dict[str, str]:
    """Why a post may not be chosen for this nominee, by post type id: the secretary rules of the county
    (age on the nomination date, party membership) and a candidacy already active for the post."""
    hints: dict[str, str] = {}
    secretary = PostType.objects.filter(code=SECRETARY).first()
    if secretary is not None:
        problems = check_secretary_rules(rules_for(village), person, on)
        if problems:
            hints[str(secretary.pk)] = "；".join(problems)
    from yanzhen.candidacies.models import CandidacyTarget

    for target in CandidacyTarget.objects.filter(person=person, village=village, active=True).select_related(
        "candidacy"
    ):
        hints.setdefault(
            str(target.post_type_id), f"已是本职位的后备人选（当前：{state_name(target.candidacy.state)}）"
        )
    return hints


class NominationForm(CompactForm):
    person = PersonChoiceField(label=_("person"), queryset=Person.objects.none())
    post_types = forms.ModelMultipleChoiceField(
        label=_("target posts"),
        queryset=PostType.objects.all(),
        required=False,
        widget=TargetPostsWidget,
    )
    nomination_way = forms.ChoiceField(label=_("nomination way"), choices=NominationWay.choices)
    recommender = NormalisedFormField(label=_("recommender"), max_length=100, required=False)
    pairing = forms.ChoiceField(
        label=_("pairing"), choices=Pairing.choices, initial=Pairing.NONE, widget=forms.RadioSelect
    )
    pairing_members = NormalisedFormField(
        label=_("paired work-team members"),
        max_length=200,
        required=False,
        help_text=_("Names, separated by 、"),
    )
    readiness = forms.ChoiceField(
        label=_("readiness"), choices=Readiness.choices, initial=Readiness.ONE_TO_TWO_YEARS
    )
    key_cultivation = forms.BooleanField(label=_("key cultivation"), required=False)
    on = date_field(_("nominated on"))
    note = note_field()
    document_title = NormalisedFormField(label=_("document title"), max_length=100, required=False)
    document = forms.FileField(label=_("document (PDF, JPG, PNG, DOC, DOCX; at most 10 MB)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.restrict(user).select_related("village", "village__parent")
        if user.division_id and len(user.division_id) == 12:
            people = people.filter(village_id=user.division_id)
        self.model_field("person").queryset = people.order_by("village_id", "name")
        self._suggest_targets()

    def _chosen(self, name: str):
        """The nominee or the date as submitted or as pre-filled, or None when not (validly) given."""
        field = self.fields[name]
        raw = self[name].value()
        try:
            return field.clean(raw) if raw not in (None, "") else None
        except ValidationError:
            return None

    def _suggest_targets(self) -> None:
        """Pre-tick only the key posts the rules allow for the chosen nominee (none before one is chosen),
        and say next to each refused box why. A submitted form keeps the boxes the clerk ticked."""
        from django.urls import reverse

        widget = self.fields["post_types"].widget
        widget.refresh_url = reverse("candidacies:nominate-targets")
        person = self._chosen("person")
        if person is None:
            self.fields["post_types"].initial = []
            return
        on = self._chosen("on") or today()
        widget.hints = target_post_hints(person, person.village, on)
        self.fields["post_types"].initial = [
            post for post in PostType.objects.filter(is_key=True) if str(post.pk) not in widget.hints
        ]


CLEAR, FOUND = "clear", "found"
VETTING_CHOICES = [
    (CLEAR, pgettext_lazy("vetting", "Not the case")),
    (FOUND, pgettext_lazy("vetting", "The case")),
]


class VettingForm(StepForm):
    """资格审查: every item of the negative list answered one by one, 无此情形 or 存在此情形 (nothing is
    pre-answered). All clear, the vetting is passed; any item found, it is not passed, which cannot be
    undone and so must be confirmed."""

    on = date_field(_("date of the vetting"))
    note = note_field()
    confirm = confirm_field(_("I confirm the vetting is not passed (this cannot be undone)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(NegativeListItem.objects.all())
        fields = {}
        for item in self.items:
            fields[self.item_field(item)] = forms.ChoiceField(
                label=item.name,
                choices=VETTING_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Answer this item: not the case, or the case.")},
            )
        # The items first, in the order of the list, then the date, the note and the confirmation.
        self.fields = {**fields, **self.fields}

    @staticmethod
    def item_field(item: NegativeListItem) -> str:
        return f"item_{item.pk}"

    def item_fields(self):
        return [self[self.item_field(item)] for item in self.items]

    def other_fields(self):
        return [self[name] for name in ("on", "note", "confirm")]

    @property
    def found_items(self) -> list[NegativeListItem]:
        data = getattr(self, "cleaned_data", {})
        return [item for item in self.items if data.get(self.item_field(item)) == FOUND]

    confirmation = _("Not passing the vetting cannot be undone: tick the box to confirm.")

    def needs_confirmation(self) -> bool:
        return bool(self.found_items)

    def values(self) -> dict:
        return {**self.cleaned_data, "failed_items": self.found_items}

    def chosen_target(self, posted: str) -> str:
        """One vetting form: its answers decide the outcome (any item found: not passed)."""
        return State.REJECTED if self.found_items else posted


class VettingFailedForm(VettingForm):
    """The vetting posted to the failing move itself: it must mark at least one item found."""

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.found_items:
            self.add_error(None, "资格审查不通过时须标记存在此情形的负面清单项目")
        return cleaned


class InspectionForm(StepForm):
    on = date_field(_("date of the inspection"))
    inspectors = NormalisedFormField(label=_("inspectors"), max_length=200, required=False)
    people_talked_to = forms.IntegerField(label=_("people talked to"), min_value=0, required=False)
    votes_for = forms.IntegerField(label=_("votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("votes against"), min_value=0, required=False)
    votes_abstaining = forms.IntegerField(label=_("abstentions"), min_value=0, required=False)
    findings = NormalisedFormField(
        max_length=LONG_TEXT_MAX,
        label=_("findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(StepForm):
    on = date_field(_("meeting date"))
    note = note_field(_("reasons"))


class DecisionRejectForm(DecisionForm):
    confirm = confirm_field(_("I confirm the committee did not pass the nominee (this cannot be undone)"))
    confirmation = _("Not passing cannot be undone: tick the box to confirm.")


class NoticePeriodForm(StepForm):
    """The period and the supervision phone of a 公示, and the warning of a period that reaches into a year
    without a holiday schedule: for the dates sent, or else for today and the proposed end
    (`candidacies/_calendar_note.html` shows it, and candidacies.js refreshes it with the end it asks for)."""

    start = date_field(_("notice start"))
    end = forms.DateField(label=_("notice end"), required=False, widget=DateInput)
    supervision_phone = NormalisedFormField(
        label=_("supervision phone"),
        max_length=40,
        required=False,
        help_text=_("Printed on the notice; the county's by default."),
    )
    note = note_field()

    def propose(self, division: Division) -> None:
        """From today to the earliest legal end under the division's county, with its supervision phone."""
        self.fields["end"].initial = notice_end_for(division, today())
        self.fields["supervision_phone"].initial = rules_for(division).supervision_phone
        follow_start(self, division)

    def clean_supervision_phone(self):
        phone = self.cleaned_data["supervision_phone"].strip()
        if not phone:
            raise ValidationError(_("Give the supervision phone: the notice must print it."))
        return phone

    @property
    def calendar_note(self) -> str:
        if self.is_bound:
            data = getattr(self, "cleaned_data", None) or {}
            return missing_note(data.get("start"), data.get("end"))
        return missing_note(today(), self.fields["end"].initial)


class NoticeForm(NoticePeriodForm):
    """One candidacy's 公示: from today to the earliest legal end, with the county's supervision phone."""

    def __init__(self, *args, candidacy: Candidacy, **kwargs):
        super().__init__(*args, **kwargs)
        self.propose(candidacy.village)


class EnterPoolForm(StepForm):
    """入库 on the day after the notice ends, the first legal day."""

    on = date_field(_("entered the pool on"))
    note = note_field()

    def __init__(self, *args, candidacy: Candidacy, **kwargs):
        super().__init__(*args, **kwargs)
        notice = candidacy.public_notice
        if notice is not None:
            first_day = notice.end + timedelta(days=1)
            self.fields["on"].initial = first_day
            if first_day > today():
                self.fields["on"].help_text = _(
                    "The notice runs until %(end)s: the candidacy may enter the pool from %(first)s."
                ) % {"end": f"{notice.end:%Y-%m-%d}", "first": f"{first_day:%Y-%m-%d}"}


class RejectByObjectionForm(StepForm):
    objection: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("upheld objection"), queryset=None, required=False
    )
    on = date_field(_("date of the resolution"))
    resolution = note_field(_("resolution"))
    confirm = confirm_field(
        _("I confirm the objection is upheld and the candidacy is cancelled (this cannot be undone)")
    )
    confirmation = _("Cancelling the candidacy cannot be undone: tick the box to confirm.")

    def __init__(self, *args, candidacy: Candidacy, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("objection").queryset = candidacy.objections.filter(resolved_on__isnull=True)


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Seat) -> str:
        current = obj.terms.filter(end__isnull=True).select_related("person").first()
        return f"{obj}（{current.person.name if current else _('vacant')}）"


class PromotionForm(StepForm):
    seat = SeatChoiceField(label=_("post to take"), queryset=None, required=False)
    on = date_field(_("promoted on"))
    note = note_field()

    def __init__(self, *args, candidacy: Candidacy, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("seat").queryset = Seat.objects.filter(village=candidacy.village).select_related(
            "village", "post_type"
        )


class RemovalForm(StepForm):
    reason = forms.ChoiceField(
        label=_("removal reason"), choices=[("", "---------"), *RemovalReason.choices], required=False
    )
    destination = forms.ChoiceField(
        label=_("destination"), choices=[("", _("None recorded")), *Destination.choices], required=False
    )
    on = date_field(_("removed on"))
    note = note_field()
    confirm = confirm_field(_("I confirm the removal from the pool (this cannot be undone)"))
    confirmation = _("A removal cannot be undone: tick the box to confirm.")


class ObjectionForm(CompactForm):
    received_on = date_field(_("received on"))
    content = NormalisedFormField(
        max_length=LONG_TEXT_MAX, label=_("content"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveObjectionForm(CompactForm):
    on = date_field(_("date of the resolution"))
    resolution = note_field(_("resolution"))


class DocumentForm(CompactForm):
    title = NormalisedFormField(label=_("title"), max_length=100, required=False)
    file = forms.FileField(label=_("document (PDF, JPG, PNG, DOC, DOCX; at most 10 MB)"))


class BatchNoticeForm(NoticePeriodForm):
    """The 公示 of a township's decided candidacies, or of those ticked on the list (`selected`): from today
    to the earliest legal end, with the county's supervision phone."""

    township = forms.ModelChoiceField(label=_("township"), queryset=Division.objects.none())
    field_order = ["township"]

    def __init__(self, *args, townships, county: Division | None = None, selected: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if selected:
            # The ticked candidacies name their townships themselves.
            del self.fields["township"]
        else:
            self.model_field("township").queryset = Division.objects.filter(
                code__in=[t.code for t in townships]
            )
            if len(townships) == 1:
                self.fields["township"].initial = townships[0].pk
        if county is not None:
            self.propose(county)


class CountyRulesForm(CompactForm):
    notice_working_days = forms.IntegerField(label=_("minimum working days of the public notice"))
    secretary_minimum_age = forms.IntegerField(label=_("minimum age of a secretary reserve"))
    secretary_maximum_age = forms.IntegerField(label=_("maximum age of a secretary reserve"))
    secretary_party_member_required = forms.BooleanField(
        label=_("a secretary reserve must be a party member"), required=False
    )
    supervision_phone = NormalisedFormField(label=_("supervision phone"), max_length=40, required=False)
