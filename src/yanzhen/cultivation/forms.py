"""Forms of the cultivation pages. They only parse input; the rules (and their Chinese messages) live in
the services, whose errors `core.forms.add_service_errors` puts back on the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import LONG_TEXT_MAX, NOTE_MAX, NormalisedFormField
from yanzhen.cultivation import selectors
from yanzhen.cultivation.models import (
    CultivationRules,
    Funding,
    GuidanceForm,
    HostGrade,
    ItemKind,
    MentorKind,
    SecondmentKind,
    SecondmentMode,
    TrainingKind,
)
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division, Industry
from yanzhen.people.codes import Degree, Education
from yanzhen.people.models import Skill
from yanzhen.pickers.fields import (
    DivisionPickerField,
    MentorsPickerField,
    PeoplePickerField,
    PersonPickerField,
)
from yanzhen.posts.models import PostType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


# A county holds hundreds of people: each is chosen by typing (yanzhen.pickers), never from a long list.
PersonChoiceField = PersonPickerField
PeopleChoiceField = PeoplePickerField


class DivisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, division):
        parent = division.parent.name if division.parent and division.level == Level.VILLAGE else ""
        return f"{parent}{division.name}"


def people_of(user):
    return selectors.visible_people(user).order_by("village_id", "name_pinyin", "id")


def organising_divisions(user):
    return Division.objects.restrict(user).filter(level__in=[Level.COUNTY, Level.TOWNSHIP]).order_by("code")


def _rule_field(name: str, most: int) -> forms.IntegerField:
    """A whole number of the county's rules, 1 to `most`, labelled as the model's field."""
    return forms.IntegerField(
        label=CultivationRules._meta.get_field(name).verbose_name, min_value=1, max_value=most
    )


class RulesForm(StyledForm):
    yearly_minimum_hours = forms.DecimalField(
        label=_("yearly minimum training hours"), min_value=0, max_value=1000, decimal_places=1
    )
    mentee_cap = _rule_field("mentee_cap", 20)
    secondment_minimum_months = _rule_field("secondment_minimum_months", 36)
    secondment_maximum_months = _rule_field("secondment_maximum_months", 36)
    concentrated_minimum_days = _rule_field("concentrated_minimum_days", 30)
    concentrated_maximum_days = _rule_field("concentrated_maximum_days", 30)
    practice_minimum_months = _rule_field("practice_minimum_months", 12)
    practice_maximum_months = _rule_field("practice_maximum_months", 12)


# -- trainings ---------------------------------------------------------------------------------------------


class TrainingForm(StyledForm):
    name = NormalisedFormField(label=_("name"), max_length=100)
    organiser = NormalisedFormField(label=_("organiser"), max_length=100, help_text=_("e.g. 盐池县委组织部"))
    division = DivisionChoiceField(label=_("organising division"), queryset=Division.objects.none())
    kind = forms.ChoiceField(label=_("type"), choices=TrainingKind.choices)
    place = NormalisedFormField(label=_("place"), max_length=100, required=False)
    start = forms.DateField(label=_("first day"), widget=DATE)
    end = forms.DateField(label=_("last day"), widget=DATE)
    hours = forms.DecimalField(
        label=_("hours"), max_digits=6, decimal_places=1, help_text=_("At most 24 a day.")
    )
    notes = NormalisedFormField(max_length=NOTE_MAX, label=_("notes"), widget=TEXT, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("division").queryset = organising_divisions(user)


class EnrolForm(StyledForm):
    people = PeopleChoiceField(
        label=_("participants"),
        queryset=None,
        help_text=_(
            "Type a name, pinyin initials or the last digits of the ID number; choose one after another."
        ),
    )

    def __init__(self, *args, user, training, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("people").queryset = people_of(user).exclude(enrolments__training=training)


def enrolment_units(user):
    """The townships and villages whose reserves a user may enrol at once."""
    return Division.objects.restrict(user).filter(level__in=[Level.TOWNSHIP, Level.VILLAGE])


class EnrolUnitForm(StyledForm):
    """Chooses the village or township whose reserves in the pool are enrolled at once (GET: the page then
    shows how many before the clerk confirms)."""

    unit = DivisionPickerField(
        label=_("village or township"),
        queryset=None,
        help_text=_("All its reserves in the pool; those already enrolled are skipped."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("unit").queryset = enrolment_units(user).select_related("parent")


# -- mentoring ---------------------------------------------------------------------------------------------


def mentor_divisions(user):
    return (
        Division.objects.restrict(user)
        .filter(level__in=[Level.TOWNSHIP, Level.VILLAGE])
        .select_related("parent")
        .order_by("code")
    )


class MentorForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind"), choices=MentorKind.choices)
    person = PersonChoiceField(
        label=_("person in the archive"),
        queryset=None,
        required=False,
        help_text=_("Leave empty for a mentor who has no archive, and type the name."),
    )
    name = NormalisedFormField(label=_("Name"), max_length=50, required=False)
    unit = NormalisedFormField(label=_("work unit and post"), max_length=100, required=False)
    division = DivisionPickerField(
        label=_("serves in"),
        queryset=None,
        required=False,
        help_text=_("Empty: the village of the person in the archive."),
    )
    skills = forms.ModelMultipleChoiceField(label=_("skills"), queryset=Skill.objects.all(), required=False)
    industries = forms.ModelMultipleChoiceField(
        label=_("industries"), queryset=Industry.objects.all(), required=False
    )
    notes = NormalisedFormField(max_length=NOTE_MAX, label=_("notes"), widget=TEXT, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("person").queryset = people_of(user)
        self.model_field("division").queryset = mentor_divisions(user)


class MentorshipForm(StyledForm):
    mentee = PersonChoiceField(label=_("mentee"), queryset=None)
    mentors = MentorsPickerField(
        label=_("mentors"),
        queryset=None,
        help_text=_("One mentor makes a 1+1 pairing, several a 1+N pairing."),
    )
    start = forms.DateField(label=pgettext_lazy("mentorship", "start"), widget=DATE)
    end = forms.DateField(
        label=pgettext_lazy("mentorship", "end"),
        widget=DATE,
        required=False,
        help_text=_("The last day; empty while it goes on."),
    )
    goals = NormalisedFormField(max_length=LONG_TEXT_MAX, label=_("goals"), widget=TEXT, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("mentee").queryset = people_of(user)
        self.model_field("mentors").queryset = selectors.mentors(user).filter(active=True)


class GuidanceSessionForm(StyledForm):
    mentor = forms.ModelChoiceField(label=_("mentor"), queryset=None)
    on = forms.DateField(label=_("date"), widget=DATE)
    form = forms.ChoiceField(label=_("form"), choices=GuidanceForm.choices)
    topic = NormalisedFormField(label=_("topic"), max_length=100)
    content = NormalisedFormField(max_length=LONG_TEXT_MAX, label=_("content"), widget=TEXT, required=False)

    def __init__(self, *args, mentorship, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("mentor").queryset = mentorship.mentors.all()


class EndForm(StyledForm):
    end = forms.DateField(label=_("last day"), widget=DATE)
    note = NormalisedFormField(label=_("note on the end"), max_length=200, required=False)


# -- secondments and practice posts ------------------------------------------------------------------------


class SecondmentForm(StyledForm):
    person = PersonChoiceField(label=_("person"), queryset=None)
    kind = forms.ChoiceField(label=_("kind"), choices=SecondmentKind.choices)
    mode = forms.ChoiceField(label=_("mode"), choices=SecondmentMode.choices)
    host = DivisionPickerField(
        label=_("host"),
        queryset=None,
        kind="host",
        help_text=_("Model villages (示范村, 明星村) first; a township for shadowing."),
    )
    post_title = NormalisedFormField(label=_("post held at the host"), max_length=50, required=False)
    start = forms.DateField(label=pgettext_lazy("secondment", "start"), widget=DATE)
    planned_end = forms.DateField(label=_("planned end"), widget=DATE, help_text=_("The last planned day."))
    goals = NormalisedFormField(max_length=LONG_TEXT_MAX, label=_("goals"), widget=TEXT)
    override_reason = NormalisedFormField(
        label=_("reason for departing from the length rule"),
        max_length=200,
        required=False,
        help_text=_("Only when the planned period is shorter or longer than the county's rule."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("person").queryset = people_of(user)
        # Hosts are the county's villages and townships (not personal data: see selectors.host_choices).
        county = selectors.user_county(user)
        self.model_field("host").queryset = (
            Division.objects.filter(code__startswith=county, level__in=[Level.TOWNSHIP, Level.VILLAGE])
            if county
            else Division.objects.none()
        ).select_related("parent")


class ReportForm(StyledForm):
    report = NormalisedFormField(
        max_length=LONG_TEXT_MAX, label=_("secondment report"), widget=forms.Textarea(attrs={"rows": 6})
    )
    reported_on = forms.DateField(label=_("reported on"), widget=DATE)
    actual_end = forms.DateField(
        label=_("actual end"), widget=DATE, required=False, help_text=_("Only when he came back early.")
    )


class EvaluationForm(StyledForm):
    # A judgement: nothing pre-selected, the clerk chooses.
    grade = forms.ChoiceField(
        label=_("host's grade"), choices=[("", _("— choose —"))] + list(HostGrade.choices)
    )
    evaluation = NormalisedFormField(max_length=LONG_TEXT_MAX, label=_("host's evaluation"), widget=TEXT)
    evaluated_on = forms.DateField(label=_("evaluated on"), widget=DATE)


class PracticePostForm(StyledForm):
    person = PersonChoiceField(label=_("person"), queryset=None)
    post_type = forms.ModelChoiceField(label=_("post"), queryset=PostType.objects.filter(is_practice=True))
    duties = NormalisedFormField(max_length=LONG_TEXT_MAX, label=_("duties"), widget=TEXT)
    start = forms.DateField(label=pgettext_lazy("practice post", "start"), widget=DATE)
    planned_end = forms.DateField(label=_("planned end"), widget=DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("person").queryset = people_of(user)


# -- cyclic training ---------------------------------------------------------------------------------------


class CyclicProgrammeForm(StyledForm):
    name = NormalisedFormField(label=_("name"), max_length=80)
    organiser = NormalisedFormField(label=_("organiser"), max_length=100)
    division = DivisionChoiceField(label=_("organising division"), queryset=None)
    start = forms.DateField(label=pgettext_lazy("programme", "start"), widget=DATE)
    trainees = PeopleChoiceField(label=_("trainees"), queryset=None)
    description = NormalisedFormField(
        max_length=LONG_TEXT_MAX, label=_("description"), widget=TEXT, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("division").queryset = organising_divisions(user)
        self.model_field("trainees").queryset = people_of(user)


class RoundForm(StyledForm):
    start = forms.DateField(label=_("first day of the concentrated training"), widget=DATE)
    end = forms.DateField(label=_("last day of the concentrated training"), widget=DATE)
    hours = forms.DecimalField(label=_("hours"), max_digits=6, decimal_places=1)
    place = NormalisedFormField(label=_("place"), max_length=100, required=False)
    practice_end = forms.DateField(label=_("last day of practice in the village"), widget=DATE)
    assignment_brief = NormalisedFormField(
        max_length=LONG_TEXT_MAX, label=_("practice assignment"), widget=TEXT
    )


class AssignmentTaskForm(StyledForm):
    task = NormalisedFormField(max_length=LONG_TEXT_MAX, label=_("task"), widget=TEXT)


class AssignmentSubmitForm(StyledForm):
    result = NormalisedFormField(max_length=LONG_TEXT_MAX, label=_("result"), widget=TEXT)
    submitted_on = forms.DateField(label=_("handed in on"), widget=DATE)


class AssignmentJudgeForm(StyledForm):
    score = forms.DecimalField(label=_("score"), max_digits=5, decimal_places=1)
    judged_on = forms.DateField(label=_("judged on"), widget=DATE)
    comment = NormalisedFormField(label=_("comment"), max_length=200, required=False)
    showcased = forms.BooleanField(label=_("shown at the review"), required=False)


# -- degree upgrading and the growth plan ------------------------------------------------------------------


class DegreeStudyForm(StyledForm):
    person = PersonChoiceField(label=_("person"), queryset=None)
    programme = NormalisedFormField(
        label=_("programme"), max_length=100, help_text=_("e.g. 村干部学历提升行动")
    )
    school = NormalisedFormField(label=_("school"), max_length=100)
    major = NormalisedFormField(label=_("major"), max_length=100, required=False)
    education = forms.ChoiceField(label=_("education aimed at"), choices=Education.choices)
    degree = forms.ChoiceField(label=_("degree"), choices=Degree.choices, initial=Degree.NONE)
    start = forms.DateField(label=pgettext_lazy("degree study", "start"), widget=DATE)
    expected_end = forms.DateField(label=_("expected end"), widget=DATE)
    funding = forms.ChoiceField(label=_("funding"), choices=Funding.choices)
    note = NormalisedFormField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("person").queryset = people_of(user)


class DegreeFinishForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=[("graduated", _("Graduated")), ("withdrawn", _("Withdrawn"))]
    )
    finished_on = forms.DateField(label=_("finished on"), widget=DATE)


class GrowthPlanForm(StyledForm):
    goals = NormalisedFormField(max_length=LONG_TEXT_MAX, label=_("goals"), widget=TEXT, required=False)
    drawn_up_on = forms.DateField(label=_("drawn up on"), widget=DATE)


class PlanItemForm(StyledForm):
    kind = forms.ChoiceField(label=_("kind"), choices=ItemKind.choices)
    title = NormalisedFormField(label=_("title"), max_length=100)
    planned_start = forms.DateField(label=_("planned start"), widget=DATE)
    due = forms.DateField(label=_("due"), widget=DATE)
    link = forms.ChoiceField(label=_("fulfilled by"), required=False)
    note = NormalisedFormField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, growth, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {}
        groups = [
            (ItemKind.TRAINING, [enrolment.training for enrolment in growth.enrolments]),
            (ItemKind.CYCLIC, growth.cyclic_programmes),
            (ItemKind.MENTORING, growth.mentorships),
            (ItemKind.PRACTICE_POST, growth.practice_posts),
            (ItemKind.SECONDMENT, growth.secondments),
            (ItemKind.DEGREE, growth.degree_studies),
        ]
        choices = [("", "---------")]
        for kind, records in groups:
            options = []
            for record in records:
                key = f"{kind}:{record.pk}"
                self.records[key] = (kind, record)
                options.append((key, str(record)))
            if options:
                choices.append((str(ItemKind(kind).label), options))
        self.fields["link"].choices = choices

    def clean_link(self):
        key = self.cleaned_data.get("link")
        return self.records.get(key, (None, None))[1] if key else None


class ItemDoneForm(StyledForm):
    done_on = forms.DateField(label=_("done on"), widget=DATE)
