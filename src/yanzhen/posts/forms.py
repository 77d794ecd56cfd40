from typing import cast

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from yanzhen.core.forms import StyledForm
from yanzhen.core.text import NormalisedFormField
from yanzhen.people.models import Person
from yanzhen.pickers.fields import PersonPickerField, people_endpoint
from yanzhen.posts.models import Destination, PostType, TermEndReason, TermKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# A township holds hundreds of people: the person is chosen by typing (yanzhen.pickers).
PersonChoiceField = PersonPickerField


class AppointForm(StyledForm):
    """Appoint someone to a seat; when the seat is held, the same form hands it over (交接)."""

    person = PersonChoiceField(label=_("person"), queryset=Person.objects.none())
    start = forms.DateField(label=_("start"), widget=DATE)
    reason = forms.ChoiceField(
        label=_("how the predecessor's term ended"), choices=TermEndReason.choices, required=False
    )
    note = NormalisedFormField(label=_("note on the end"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("kind of term"),
        choices=TermKind.choices,
        initial=TermKind.ORDINARY,
        required=False,
        help_text=_("A professionally managed secretary is paid and assessed by the county."),
    )

    def __init__(self, *args, user, seat, occupied: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # People of the seat's township the user may see, the seat's own village first.
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = (
            Person.objects.restrict(user)
            .filter(village__code__startswith=seat.village_id[:9])
            .select_related("village", "village__parent")
            .annotate(
                elsewhere=Case(
                    When(village_id=seat.village_id, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("elsewhere", "village_id", "name_pinyin", "id")
        )
        self.fields["person"].widget.url = people_endpoint(within=seat.village_id[:9])
        if occupied:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
            del self.fields["note"]
        if (
            seat.post_type.code != "secretary"
        ):  # only a secretary may be professional (the service says so too)
            del self.fields["kind"]

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or TermKind.ORDINARY


class EndTermForm(StyledForm):
    end = forms.DateField(
        label=_("end"), widget=DATE, help_text=_("The first day the person no longer holds the post.")
    )
    reason = forms.ChoiceField(label=_("how it ended"), choices=TermEndReason.choices)
    destination = forms.ChoiceField(
        label=_("destination"), choices=[("", _("None recorded")), *Destination.choices], required=False
    )
    note = NormalisedFormField(label=_("note on the end"), max_length=200, required=False)


class TermKindForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("kind of term"),
        choices=TermKind.choices,
        help_text=_("A professionally managed secretary is paid and assessed by the county."),
    )


class PostTypeForm(StyledForm):
    code = forms.SlugField(
        label=_("code"),
        max_length=40,
        help_text=_("Letters, digits and underscores; fixed once created."),
    )
    name = NormalisedFormField(label=_("name"), max_length=30)
    is_key = forms.BooleanField(
        label=_("key post"), required=False, help_text=_("Every village should have a reserve for it.")
    )
    is_practice = forms.BooleanField(
        label=_("practice post"), required=False, help_text=PostType._meta.get_field("is_practice").help_text
    )
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class VillageSeatsForm(StyledForm):
    """How many seats of each post type a village has (职数)."""

    def __init__(self, *args, post_types, counts: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.post_types = list(post_types)
        for post_type in self.post_types:
            self.fields[f"count_{post_type.code}"] = forms.IntegerField(
                label=post_type.name,
                min_value=0,
                max_value=20,
                initial=counts.get(post_type.pk, 0),
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )

    def counts(self):
        return {post_type: self.cleaned_data[f"count_{post_type.code}"] for post_type in self.post_types}
