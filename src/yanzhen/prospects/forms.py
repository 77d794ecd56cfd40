"""Forms of 雏雁计划; each one's cleaned data are its service's inputs. Choices come from the user's
jurisdiction (the service checks again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NOTE_MAX, NormalisedFormField
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.divisions.place_filter import JurisdictionPlaceMixin
from yanzhen.people.codes import Gender, PoliticalStatus
from yanzhen.pickers.fields import DivisionPickerField, ProspectsPickerField
from yanzhen.prospects.models import INTERESTS, Category, ContactKind, EventKind, PolicyDocument, Prospect

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


ALL = _("All")


def _with_empty(choices, label=ALL):
    return [("", label), *choices]


class ProspectForm(StyledForm):
    name = NormalisedFormField(label=pgettext_lazy("person", "name"), max_length=50)
    gender = forms.ChoiceField(label=_("gender"), choices=_with_empty(Gender.choices, "—"), required=False)
    birth_year = forms.IntegerField(label=_("year of birth"), required=False, min_value=1900, max_value=2100)
    village = DivisionPickerField(queryset=Division.objects.none(), label=_("home village"), kind="village")
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    city = NormalisedFormField(label=_("where he is now"), max_length=50, required=False)
    occupation = NormalisedFormField(label=_("what he does"), max_length=100, required=False)
    phone = NormalisedFormField(label=_("mobile phone"), max_length=20, required=False)
    keeper = NormalisedFormField(label=_("keeps in touch"), max_length=50, required=False)
    interests = forms.MultipleChoiceField(
        label=_("interests"),
        choices=list(INTERESTS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = NormalisedFormField(
        label=_("notes"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, prospect: Prospect | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("village").queryset = Division.objects.restrict(user).filter(level=Level.VILLAGE)
        if prospect is not None:
            self.fields["phone"].help_text = _("Stored as %(masked)s; leave empty to keep it.") % {
                "masked": prospect.phone_masked or "—"
            }
            self.fields["clear_phone"] = forms.BooleanField(
                label=_("Remove the phone number"), required=False
            )

    @staticmethod
    def initial_for(prospect: Prospect) -> dict:
        fields = (
            "name",
            "gender",
            "birth_year",
            "village",
            "category",
            "city",
            "occupation",
            "keeper",
            "note",
        )
        initial = {name: getattr(prospect, name) for name in fields}
        initial["interests"] = [key for key in INTERESTS if getattr(prospect, key)]
        return initial


class ContactForm(StyledForm):
    kind = forms.ChoiceField(label=pgettext_lazy("prospect", "how"), choices=ContactKind.choices)
    on = forms.DateField(label=_("date"), widget=DATE)
    by = NormalisedFormField(label=_("by whom"), max_length=50)
    summary = NormalisedFormField(
        label=_("what was said"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("documents handed over"),
        queryset=PolicyDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = PolicyDocument.objects.restrict(user)  # type: ignore[attr-defined]


class EventForm(StyledForm):
    organiser = forms.ModelChoiceField(label=_("organiser"), queryset=Division.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=EventKind.choices)
    title = NormalisedFormField(label=_("title"), max_length=100)
    held_on = forms.DateField(label=_("date"), widget=DATE)
    place = NormalisedFormField(label=_("place"), max_length=100, required=False)
    note = NormalisedFormField(
        label=_("notes"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_field("organiser").queryset = Division.objects.restrict(user).filter(
            level__in=[Level.COUNTY, Level.TOWNSHIP]
        )


class InviteForm(StyledForm):
    prospects = ProspectsPickerField(queryset=Prospect.objects.none(), label=_("Invite"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prospects"].queryset = Prospect.objects.restrict(user).select_related("village__parent")  # type: ignore[attr-defined]


class ConversionForm(StyledForm):
    id_number = NormalisedFormField(label=_("ID number"), max_length=30)
    political_status = forms.ChoiceField(label=_("political status"), choices=PoliticalStatus.choices)


class PolicyDocumentForm(StyledForm):
    title = NormalisedFormField(label=_("title"), max_length=100)
    file = forms.FileField(label=_("file"), required=False)


class ProspectFilterForm(JurisdictionPlaceMixin, StyledForm):
    """The register's filters; the township and village are drawn by the shared 乡镇 → 村 widget."""

    PLACE_FIELDS = ("township", "village")

    category = forms.ChoiceField(label=_("category"), choices=_with_empty(Category.choices), required=False)
    interest = forms.ChoiceField(
        label=_("interests"), choices=_with_empty(list(INTERESTS.items())), required=False
    )
    converted = forms.ChoiceField(
        label=_("recommended as a reserve"),
        choices=_with_empty(
            [("yes", pgettext_lazy("prospect", "recommended")), ("no", pgettext_lazy("prospect", "not yet"))]
        ),
        required=False,
    )
    q = NormalisedFormField(label=_("Search"), max_length=50, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def other_fields(self):
        return [field for field in self if field.name not in self.PLACE_FIELDS]
