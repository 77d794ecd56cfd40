"""Forms of the rosters pages: they parse what the clerk chose; the rules live in importer/exporter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yanzhen.core.text import NormalisedFormField
from yanzhen.divisions.codes import Level, candidate_codes
from yanzhen.divisions.models import Division
from yanzhen.people.codes import PoliticalStatus
from yanzhen.pickers.fields import DivisionPickerField


def division_choices(user, limit: int = 300) -> list[Division]:
    """The divisions a user may import into or export: his own, and the townships below it."""
    if not user.division_id:
        return []
    own = user.division
    below = []
    if own.level < Level.TOWNSHIP:
        below = list(
            Division.objects.restrict(user).filter(level=Level.TOWNSHIP, code__startswith=own.code)[
                : limit + 1
            ]
        )
        below = below if len(below) <= limit else []
    return [own, *below]


class _DivisionMixin:
    def _setup_division(self, user):
        self.user = user
        choices = division_choices(user)
        field = self.fields["division"]
        if choices:
            field.widget = forms.Select(
                choices=[
                    (d.code, ("　" if d.level == Level.TOWNSHIP and d != choices[0] else "") + d.name)
                    for d in choices
                ],
                attrs={"class": "form-select"},
            )
            field.initial = choices[0].code
        else:
            field.widget.attrs.update({"class": "form-control", "inputmode": "numeric"})

    def clean_division(self):
        code = self.cleaned_data["division"].strip()
        found = (
            Division.objects.restrict(self.user)
            .filter(code__in=candidate_codes(code))
            .order_by("-code")
            .first()
        )
        if found is None:
            raise forms.ValidationError(_("No such division in your jurisdiction."))
        return found


class RosterUploadForm(_DivisionMixin, forms.Form):
    division = NormalisedFormField(label=_("Division"), max_length=12)
    file = forms.FileField(
        label=_("Roster (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_division(user)


class ExportForm(_DivisionMixin, forms.Form):
    division = NormalisedFormField(label=_("Division"), max_length=12)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_division(user)


class LrmxImportForm(forms.Form):
    file = forms.FileField(
        label=_("Cadre form (.lrmx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".lrmx", "class": "form-control"}),
    )
    # 120 villages in a county: chosen by typing (yanzhen.pickers), the queryset below validates.
    village = DivisionPickerField(
        label=_("Village of residence (new person only)"),
        queryset=Division.objects.none(),
        required=False,
        kind="village",
    )
    political_status = forms.ChoiceField(
        label=_("Political status (new person only)"),
        choices=[("", "---------"), *PoliticalStatus.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].widget.attrs["class"] = "form-select"
        self.fields["village"].queryset = (
            Division.objects.restrict(user)
            .filter(level=Level.VILLAGE)
            .select_related("parent")
            .order_by("code")
        )
