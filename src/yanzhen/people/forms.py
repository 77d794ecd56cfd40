"""Forms of the person archive. They only parse what the clerk typed; the rules live in people.services."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.core.ids import IdsField
from yanzhen.core.text import NOTE_MAX, NormalisedFormField
from yanzhen.divisions.models import Division, Industry
from yanzhen.people.codes import Degree, Education, EducationKind, Ethnicity, Gender, PoliticalStatus
from yanzhen.people.models import EducationRecord, FamilyMember, Person, ResumeLine, Skill, Source

BLANK = [("", "---------")]
YEAR_MONTH = r"^(19|20)\d\d\.(0[1-9]|1[0-2])$"


def label(model, name: str):
    return model._meta.get_field(name).verbose_name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, village: Division) -> str:
        township = village.parent.name if village.parent_id and village.parent else ""
        return f"{township} {village.name}".strip()


class PersonForm(forms.Form):
    name = NormalisedFormField(label=_("full name"), max_length=50)
    gender = forms.ChoiceField(
        label=label(Person, "gender"),
        choices=BLANK + Gender.choices,
        required=False,
        help_text=_("Taken from the ID number when left empty."),
    )
    ethnicity = forms.ChoiceField(label=label(Person, "ethnicity"), choices=Ethnicity.choices, initial="01")
    birth_date = forms.DateField(
        label=label(Person, "birth_date"),
        required=False,
        widget=DateInput(),
        help_text=_("Taken from the ID number when left empty."),
    )
    # The ID number and phone a clerk typed come back after an error (nothing typed is lost); the stored
    # ones never go into the page: `initial_for` leaves them out, the edit form says "leave empty to keep".
    id_number = NormalisedFormField(label=_("ID number"), max_length=30)
    native_place = NormalisedFormField(label=label(Person, "native_place"), max_length=100, required=False)
    political_status = forms.ChoiceField(
        label=label(Person, "political_status"), choices=BLANK + PoliticalStatus.choices
    )
    party_join_date = forms.DateField(
        label=label(Person, "party_join_date"), required=False, widget=DateInput()
    )
    degree = forms.ChoiceField(label=label(Person, "degree"), choices=Degree.choices, initial=Degree.NONE)
    phone = NormalisedFormField(label=_("mobile phone"), max_length=20, required=False)
    village = VillageChoiceField(label=label(Person, "village"), queryset=Division.objects.none())
    source = forms.ModelChoiceField(
        label=label(Person, "source"), queryset=Source.objects.all(), required=False
    )
    skills = IdsField(
        label=label(Person, "skills"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industries = IdsField(
        label=label(Person, "industries"),
        queryset=Industry.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills_text = NormalisedFormField(label=label(Person, "skills_text"), max_length=200, required=False)
    has_industry_experience = forms.BooleanField(
        label=label(Person, "has_industry_experience"), required=False
    )
    rewards_and_punishments = NormalisedFormField(
        max_length=NOTE_MAX,
        label=label(Person, "rewards_and_punishments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = NormalisedFormField(
        max_length=NOTE_MAX,
        label=label(Person, "notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        cast(VillageChoiceField, self.fields["village"]).queryset = (
            Division.objects.restrict(user).villages().select_related("parent").order_by("code")
        )
        if person is not None:
            # The full numbers never go into the page: left empty, they stay as stored.
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Leave empty to keep %(masked)s.") % {
                "masked": person.id_number_masked
            }
            self.fields["phone"].help_text = (
                _("Leave empty to keep %(masked)s.") % {"masked": person.phone_masked}
                if person.phone_masked
                else ""
            )
            self.fields["clear_phone"] = forms.BooleanField(
                label=_("Remove the mobile phone"), required=False
            )
            order = list(self.fields)
            order.remove("clear_phone")
            order.insert(order.index("phone") + 1, "clear_phone")
            self.order_fields(order)
        for field in self.fields.values():
            widget = field.widget
            # Each box of 特长/产业 gets Bootstrap's look (form.html puts them in .form-check-inline), as a lone box.
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
        self.fields["id_number"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs["autocomplete"] = "off"

    @staticmethod
    def initial_for(person: Person) -> dict:
        return {
            "name": person.name,
            "gender": person.gender,
            "ethnicity": person.ethnicity,
            "birth_date": person.birth_date,
            "native_place": person.native_place,
            "political_status": person.political_status,
            "party_join_date": person.party_join_date,
            "degree": person.degree,
            "village": person.village_id,
            "source": person.source_id,
            "skills": list(person.skills.all()),
            "industries": list(person.industries.all()),
            "skills_text": person.skills_text,
            "has_industry_experience": person.has_industry_experience,
            "rewards_and_punishments": person.rewards_and_punishments,
            "notes": person.notes,
        }


class RowForm(forms.Form):
    """One repeated row; an untouched blank row is skipped (its choices start blank)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class EducationForm(RowForm):
    kind = forms.ChoiceField(label=label(EducationRecord, "kind"), choices=BLANK + EducationKind.choices)
    education = forms.ChoiceField(
        label=label(EducationRecord, "education"),
        choices=BLANK + [(c, f"{c} {n}") for c, n in Education.choices],
    )
    school = NormalisedFormField(label=label(EducationRecord, "school"), max_length=100, required=False)
    major = NormalisedFormField(label=label(EducationRecord, "major"), max_length=100, required=False)
    graduation_date = forms.DateField(
        label=label(EducationRecord, "graduation_date"), required=False, widget=DateInput()
    )
    degree = forms.ChoiceField(
        label=label(EducationRecord, "degree"), choices=BLANK + Degree.choices, required=False
    )


class FamilyForm(RowForm):
    relation = NormalisedFormField(
        label=label(FamilyMember, "relation"),
        max_length=20,
        widget=forms.TextInput(attrs={"list": "relation-options"}),
    )
    name = NormalisedFormField(label=_("full name"), max_length=50)
    birth_date = forms.DateField(label=label(FamilyMember, "birth_date"), required=False, widget=DateInput())
    political_status = forms.ChoiceField(
        label=label(FamilyMember, "political_status"), choices=BLANK + PoliticalStatus.choices, required=False
    )
    work_unit_and_post = NormalisedFormField(
        label=label(FamilyMember, "work_unit_and_post"), max_length=200, required=False
    )


class ResumeForm(RowForm):
    start = forms.RegexField(
        label=label(ResumeLine, "start"),
        regex=YEAR_MONTH,
        error_messages={"invalid": _("Write the month as yyyy.mm, e.g. 2015.09.")},
        widget=forms.TextInput(attrs={"placeholder": "2015.09"}),
    )
    end = forms.RegexField(
        label=label(ResumeLine, "end"),
        regex=YEAR_MONTH,
        required=False,
        error_messages={"invalid": _("Write the month as yyyy.mm, e.g. 2015.09.")},
        widget=forms.TextInput(attrs={"placeholder": _("empty for today")}),
    )
    text = NormalisedFormField(label=label(ResumeLine, "text"), max_length=300)


EducationFormSet = forms.formset_factory(EducationForm, extra=1, can_delete=True)
FamilyFormSet = forms.formset_factory(FamilyForm, extra=1, can_delete=True)
ResumeFormSet = forms.formset_factory(ResumeForm, extra=1, can_delete=True)
