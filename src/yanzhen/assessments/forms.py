"""Forms only parse what was typed; the services validate and give the Chinese messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yanzhen.assessments.models import (
    Assessment,
    AssessmentSettings,
    Checkup,
    Commendation,
    CommendationLevel,
    Conclusion,
    DisciplineKind,
    DisciplineMeasure,
    DisciplineRecord,
    Grade,
    HonourKind,
    SemiannualReport,
    ToleranceCase,
    ToleranceDetermination,
)
from yanzhen.assessments.models.conduct import MEASURE_KIND, MEASURE_NAMES, concern_label
from yanzhen.assessments.periods import Half, PeriodKind
from yanzhen.assessments.services import CheckupInput
from yanzhen.candidacies.models import RemovalReason
from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NOTE_MAX, NormalisedFormField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_TYPES = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"
# The blank first option of a judgement (grade, conclusion): required, so it must be chosen.
CHOOSE = [("", _("— choose —"))]


def label(model, name: str):
    return model._meta.get_field(name).verbose_name


def _dimension_field(dimension, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=dimension.name,
        required=required,
        widget=forms.NumberInput(
            attrs={"min": 0, "max": 100, "inputmode": "numeric", "class": "form-control"}
        ),
        help_text=_("Weight %(weight)s") % {"weight": dimension.weight}
        if dimension.weight is not None
        else "",
    )


def _with_dimensions(form: forms.Form, dimensions, *, after: str, required: bool) -> list[str]:
    """The form's fields with one score per dimension (named by its key) placed after the field `after`; the
    keys returned."""
    fields = list(form.fields.items())
    at = [name for name, _field in fields].index(after) + 1
    added = [(d.key, _dimension_field(d, required)) for d in dimensions]
    form.fields = dict(fields[:at] + added + fields[at:])
    return [key for key, _field in added]


def _votes_field(name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label(Assessment, name), required=False, widget=forms.NumberInput(attrs={"min": 0})
    )


def _text(model, name: str, rows: int = 3, required: bool = False) -> forms.CharField:
    return NormalisedFormField(
        label=label(model, name),
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=model._meta.get_field(name).max_length,
    )


class AssessmentForm(StyledForm):
    year = forms.IntegerField(label=label(Assessment, "year"))
    half = forms.TypedChoiceField(label=label(Assessment, "half"), choices=Half.choices, coerce=int)
    # No grade is pre-selected: the clerk chooses (a pre-selected 优秀 was saved unread).
    grade = forms.ChoiceField(label=label(Assessment, "grade"), choices=CHOOSE + list(Grade.choices))
    # then one score per dimension the county scores (`assessments.dimensions`), added by __init__
    industry_evidence = _text(Assessment, "industry_evidence")
    mediation_evidence = _text(Assessment, "mediation_evidence")
    emergency_evidence = _text(Assessment, "emergency_evidence")
    votes_excellent = _votes_field("votes_excellent")
    votes_competent = _votes_field("votes_competent")
    votes_basically_competent = _votes_field("votes_basically_competent")
    votes_incompetent = _votes_field("votes_incompetent")
    assessor = NormalisedFormField(label=label(Assessment, "assessor"), max_length=100, required=False)
    assessed_on = forms.DateField(label=label(Assessment, "assessed_on"), widget=DATE)

    EVIDENCE_FIELDS = ("industry_evidence", "mediation_evidence", "emergency_evidence")
    VOTE_FIELDS = ("votes_excellent", "votes_competent", "votes_basically_competent", "votes_incompetent")

    def __init__(self, *args, dimensions, period_kind: str = PeriodKind.HALF_YEAR, **kwargs):
        super().__init__(*args, **kwargs)
        self.score_keys = _with_dimensions(self, dimensions, after="grade", required=False)
        if period_kind == PeriodKind.YEAR:
            self.fields["half"].choices = [(Half.YEAR.value, Half.YEAR.label)]
        else:
            self.fields["half"].choices = [(h.value, h.label) for h in (Half.FIRST, Half.SECOND)]


class BatchForm(StyledForm):
    """One grade per reserve of a village or township, with the date and the assessor they share."""

    assessed_on = forms.DateField(label=label(Assessment, "assessed_on"), widget=DATE)
    assessor = NormalisedFormField(label=label(Assessment, "assessor"), max_length=100, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        for person in self.people:
            self.fields[f"person-{person.pk}"] = forms.ChoiceField(
                label=f"{person.village.name} {person.name}",
                choices=[("", "—")] + list(Grade.choices),
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def grade_fields(self):
        return [self[f"person-{person.pk}"] for person in self.people]

    def grades(self) -> dict:
        return {
            person: self.cleaned_data[f"person-{person.pk}"]
            for person in self.people
            if self.cleaned_data.get(f"person-{person.pk}")
        }


class ReportForm(StyledForm):
    """A clerk enters a reserve's report."""

    year = forms.IntegerField(label=label(SemiannualReport, "year"))
    half = forms.TypedChoiceField(
        label=label(SemiannualReport, "half"),
        choices=[(h.value, h.label) for h in (Half.FIRST, Half.SECOND)],
        coerce=int,
    )
    text = _text(SemiannualReport, "text", rows=8, required=True)
    attachment = forms.FileField(
        label=label(SemiannualReport, "attachment"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )


class SelfReportForm(StyledForm):
    """The reserve's own form: the half-years he may report on, the text, an optional photo or file."""

    period = forms.ChoiceField(label=_("Half-year"))
    text = _text(SemiannualReport, "text", rows=8, required=True)
    attachment = forms.FileField(
        label=label(SemiannualReport, "attachment"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period.key, period.label) for period in periods]


class ReviewForm(StyledForm):
    review_comment = _text(SemiannualReport, "review_comment", rows=4, required=True)


class ProposalDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm: remove from the pool")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("date"), widget=DATE)
    reason = forms.ChoiceField(label=_("removal reason"), choices=RemovalReason.choices, required=False)
    note = NormalisedFormField(
        label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def __init__(self, *args, checkup_basis: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"
        if not checkup_basis:
            del self.fields["reason"]


class CampaignForm(StyledForm):
    title = NormalisedFormField(label=_("title"), max_length=100)
    start = forms.DateField(label=pgettext_lazy("campaign", "start"), widget=DATE)
    end = forms.DateField(label=pgettext_lazy("campaign", "end"), widget=DATE)


class CheckupForm(StyledForm):
    """One score per dimension (all required, placed first), the conclusion, the date, the note."""

    conclusion = forms.ChoiceField(
        label=label(Checkup, "conclusion"), choices=CHOOSE + list(Conclusion.choices)
    )
    filled_on = forms.DateField(label=label(Checkup, "filled_on"), widget=DATE)
    note = _text(Checkup, "note")

    def __init__(self, *args, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        fields = list(self.fields.items())
        added = [(d.key, _dimension_field(d, True)) for d in dimensions]
        self.fields = dict(added + fields)
        self.score_keys = [key for key, _field in added]

    def checkup_input(self) -> CheckupInput:
        data = self.cleaned_data
        return CheckupInput(
            conclusion=data["conclusion"],
            filled_on=data["filled_on"],
            note=data["note"],
            scores={key: data.get(key) for key in self.score_keys},
        )


class CommendationForm(StyledForm):
    kind = forms.ChoiceField(
        label=label(Commendation, "kind"),
        choices=HonourKind.choices,
        required=False,
        initial=HonourKind.COMMENDATION,
    )
    title = NormalisedFormField(
        label=label(Commendation, "title"),
        max_length=100,
        help_text=_("For a delegate or deputy, the congress: e.g. 盐池县第十七届人民代表大会代表."),
    )
    level = forms.ChoiceField(label=label(Commendation, "level"), choices=CommendationLevel.choices)
    awarded_on = forms.DateField(label=label(Commendation, "awarded_on"), widget=DATE)
    issuer = NormalisedFormField(label=label(Commendation, "issuer"), max_length=100, required=False)
    document_number = NormalisedFormField(
        label=label(Commendation, "document_number"), max_length=100, required=False
    )
    document = forms.FileField(
        label=label(Commendation, "document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or HonourKind.COMMENDATION


def _textarea(model, name: str, *, required: bool = True) -> NormalisedFormField:
    return NormalisedFormField(
        label=label(model, name),
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
    )


def _measure_choices() -> list:
    """The measures grouped as the clerk knows them: 党纪处分, then 政务处分."""
    groups: dict[str, list] = {}
    for measure in DisciplineMeasure:
        groups.setdefault(MEASURE_KIND[measure], []).append((measure.value, MEASURE_NAMES[measure]))
    return [("", "---------")] + [(DisciplineKind(kind).label, choices) for kind, choices in groups.items()]


class DisciplineForm(StyledForm):
    measure = forms.ChoiceField(label=label(DisciplineRecord, "measure"), choices=_measure_choices)
    decided_on = forms.DateField(label=label(DisciplineRecord, "decided_on"), widget=DATE)
    issuer = NormalisedFormField(label=label(DisciplineRecord, "issuer"), max_length=100)
    document_number = NormalisedFormField(
        label=label(DisciplineRecord, "document_number"), max_length=100, required=False
    )
    effect_ends_on = forms.DateField(
        label=label(DisciplineRecord, "effect_ends_on"),
        widget=DATE,
        required=False,
        help_text=_(
            "Leave empty for the measure's usual period: Party warning 1 year, serious warning 18 months, removal "
            "from Party posts 2 years, probation 3 years, expulsion 5 years; warning 6 months, demerit 1 year, "
            "major demerit 18 months, demotion and dismissal from post 2 years, expulsion without end."
        ),
    )
    matter = _textarea(DisciplineRecord, "matter", required=False)


class ToleranceForm(StyledForm):
    """容错免责 application: the matter, the day, the grade or 处分 it concerns (the person's own), the grounds."""

    matter = _textarea(ToleranceCase, "matter")
    applied_on = forms.DateField(label=label(ToleranceCase, "applied_on"), widget=DATE)
    concerns = forms.ChoiceField(label=_("grade or record concerned"), required=False)
    application = _textarea(ToleranceCase, "application", required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {f"a{a.pk}": a for a in person.assessments.all()}
        self.records.update({f"d{r.pk}": r for r in person.discipline_records.all()})
        self.model_field("concerns").choices = [("", _("None: the matter only"))] + [
            (key, concern_label(record)) for key, record in self.records.items()
        ]

    def concerned(self) -> dict:
        """The service's `assessment` and `discipline` for the choice made."""
        key = self.cleaned_data.get("concerns") or ""
        record = self.records.get(key)
        return {
            "assessment": record if key.startswith("a") else None,
            "discipline": record if key.startswith("d") else None,
        }


class ToleranceDeterminationForm(StyledForm):
    determination = forms.ChoiceField(
        label=label(ToleranceCase, "determination"),
        choices=[
            (ToleranceDetermination.EXEMPTED, _("Exempted")),
            (ToleranceDetermination.REFUSED, _("Not exempted")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    determined_on = forms.DateField(label=label(ToleranceCase, "determined_on"), widget=DATE)
    reasoning = _textarea(ToleranceCase, "reasoning")


class SelfServiceLinkForm(StyledForm):
    """Tie a reserve's login to his archive: the accounts with the role "reserve" of his village."""

    user: forms.ModelChoiceField = forms.ModelChoiceField(label=_("user"), queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("user").queryset = users


class SettingsForm(StyledForm):
    report_due_days = forms.IntegerField(label=label(AssessmentSettings, "report_due_days"))
    period_kind = forms.ChoiceField(
        label=label(AssessmentSettings, "period_kind"), choices=PeriodKind.choices
    )
    weight_political = forms.IntegerField(label=label(AssessmentSettings, "weight_political"))
    weight_ability = forms.IntegerField(label=label(AssessmentSettings, "weight_ability"))
    weight_conduct = forms.IntegerField(label=label(AssessmentSettings, "weight_conduct"))
    weight_reputation = forms.IntegerField(label=label(AssessmentSettings, "weight_reputation"))
    excellent_cap_percent = forms.IntegerField(
        label=label(AssessmentSettings, "excellent_cap_percent"),
        required=False,
        help_text=_("Empty: no cap."),
    )
