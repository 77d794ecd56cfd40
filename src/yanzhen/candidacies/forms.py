"""Forms of the pipeline pages. They only parse input: the rules and their Chinese messages are in
`workflow`, whose ValidationError keys match the field names here."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.candidacies.models import (
    Candidacy,
    CandidacyState,
    NegativeListItem,
    NominationWay,
    Pairing,
    Readiness,
    RemovalReason,
)
from yanzhen.candidacies.workflow import today
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.pickers.fields import PersonPickerField
from yanzhen.posts.models import PostType, Seat

State = CandidacyState


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput, initial=today)


def note_field(label=None) -> forms.CharField:
    return forms.CharField(label=label or _("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# The county holds hundreds of people: the nominee is chosen by typing (yanzhen.pickers).
PersonChoiceField = PersonPickerField


class NominationForm(forms.Form):
    person = PersonChoiceField(label=_("person"), queryset=Person.objects.none())
    post_types = forms.ModelMultipleChoiceField(
        label=_("target posts"),
        queryset=PostType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nomination_way = forms.ChoiceField(label=_("nomination way"), choices=NominationWay.choices)
    recommender = forms.CharField(label=_("recommender"), max_length=100, required=False)
    pairing = forms.ChoiceField(
        label=_("pairing"), choices=Pairing.choices, initial=Pairing.NONE, widget=forms.RadioSelect
    )
    pairing_members = forms.CharField(
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
    document_title = forms.CharField(label=_("document title"), max_length=100, required=False)
    document = forms.FileField(label=_("document (PDF, JPG, PNG, DOC, DOCX; at most 10 MB)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.restrict(user).select_related("village", "village__parent")
        if user.division_id and len(user.division_id) == 12:
            people = people.filter(village_id=user.division_id)
        self.fields["person"].queryset = people.order_by("village_id", "name")
        self.fields["post_types"].initial = list(PostType.objects.filter(is_key=True))


class VetForm(forms.Form):
    on = date_field(_("date of the vetting"))
    note = note_field()


class VetRejectForm(forms.Form):
    failed_items = forms.ModelMultipleChoiceField(
        label=_("negative-list items not met"),
        queryset=NegativeListItem.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    on = date_field(_("date of the vetting"))
    note = note_field()


class InspectionForm(forms.Form):
    on = date_field(_("date of the inspection"))
    inspectors = forms.CharField(label=_("inspectors"), max_length=200, required=False)
    people_talked_to = forms.IntegerField(label=_("people talked to"), min_value=0, required=False)
    votes_for = forms.IntegerField(label=_("votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("votes against"), min_value=0, required=False)
    votes_abstaining = forms.IntegerField(label=_("abstentions"), min_value=0, required=False)
    findings = forms.CharField(label=_("findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    on = date_field(_("meeting date"))
    note = note_field(_("reasons"))


class NoticeForm(forms.Form):
    start = date_field(_("notice start"))
    end = forms.DateField(label=_("notice end"), required=False, widget=DateInput)
    note = note_field()


class EnterPoolForm(forms.Form):
    on = date_field(_("entered the pool on"))
    note = note_field()


class RejectByObjectionForm(forms.Form):
    objection = forms.ModelChoiceField(label=_("upheld objection"), queryset=None, required=False)
    on = date_field(_("date of the resolution"))
    resolution = forms.CharField(
        label=_("resolution"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, candidacy: Candidacy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objection"].queryset = candidacy.objections.filter(resolved_on__isnull=True)


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Seat) -> str:
        current = obj.terms.filter(end__isnull=True).select_related("person").first()
        return f"{obj}（{current.person.name if current else _('vacant')}）"


class PromotionForm(forms.Form):
    seat = SeatChoiceField(label=_("post to take"), queryset=None, required=False)
    on = date_field(_("promoted on"))
    note = note_field()

    def __init__(self, *args, candidacy: Candidacy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = Seat.objects.filter(village=candidacy.village).select_related(
            "village", "post_type"
        )


class RemovalForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("removal reason"), choices=[("", "---------"), *RemovalReason.choices], required=False
    )
    on = date_field(_("removed on"))
    note = note_field()


class ObjectionForm(forms.Form):
    received_on = date_field(_("received on"))
    content = forms.CharField(label=_("content"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveObjectionForm(forms.Form):
    on = date_field(_("date of the resolution"))
    resolution = forms.CharField(
        label=_("resolution"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=100, required=False)
    file = forms.FileField(label=_("document (PDF, JPG, PNG, DOC, DOCX; at most 10 MB)"))


class BatchNoticeForm(forms.Form):
    township = forms.ModelChoiceField(label=_("township"), queryset=Division.objects.none())
    start = date_field(_("notice start"))
    end = forms.DateField(label=_("notice end"), required=False, widget=DateInput)
    note = note_field()

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Division.objects.filter(code__in=[t.code for t in townships])
        if len(townships) == 1:
            self.fields["township"].initial = townships[0].pk


class CountyRulesForm(forms.Form):
    notice_working_days = forms.IntegerField(label=_("minimum working days of the public notice"))
    secretary_minimum_age = forms.IntegerField(label=_("minimum age of a secretary reserve"))
    secretary_maximum_age = forms.IntegerField(label=_("maximum age of a secretary reserve"))
    secretary_party_member_required = forms.BooleanField(
        label=_("a secretary reserve must be a party member"), required=False
    )
    supervision_phone = forms.CharField(label=_("supervision phone"), max_length=40, required=False)


@dataclass(frozen=True)
class Step:
    """A transition offered on the candidacy page: from a state to another, with its form."""

    from_state: str
    to_state: str
    title: str
    form: type[forms.Form]
    button: str = "btn-danger"
    needs_candidacy: bool = False


STEPS = [
    Step(State.NOMINATED, State.VETTED, _("Vetting passed"), VetForm),
    Step(State.NOMINATED, State.REJECTED, _("Vetting failed"), VetRejectForm, "btn-outline-secondary"),
    Step(State.VETTED, State.INSPECTED, _("Record the inspection"), InspectionForm),
    Step(State.INSPECTED, State.DECIDED, _("Decided by the township committee"), DecisionForm),
    Step(
        State.INSPECTED,
        State.REJECTED,
        _("Not passed by the township committee"),
        DecisionForm,
        "btn-outline-secondary",
    ),
    Step(State.DECIDED, State.IN_NOTICE, _("Start the public notice"), NoticeForm),
    Step(State.IN_NOTICE, State.IN_POOL, _("Enter the pool"), EnterPoolForm),
    Step(
        State.IN_NOTICE,
        State.REJECTED,
        _("Objection upheld: reject"),
        RejectByObjectionForm,
        "btn-outline-secondary",
        needs_candidacy=True,
    ),
    Step(State.IN_POOL, State.PROMOTED, _("Promote into a post"), PromotionForm, needs_candidacy=True),
    Step(State.IN_POOL, State.REMOVED, _("Remove from the pool"), RemovalForm, "btn-outline-secondary"),
]


def step_for(from_state: str, to_state: str) -> Step | None:
    return next((s for s in STEPS if s.from_state == from_state and s.to_state == to_state), None)


def make_form(step: Step, candidacy: Candidacy, data=None) -> forms.Form:
    prefix = f"{step.to_state}"
    if step.needs_candidacy:
        return step.form(data, candidacy=candidacy, prefix=prefix)  # type: ignore[call-arg]
    return step.form(data, prefix=prefix)
