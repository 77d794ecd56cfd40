"""The 乡镇 → 村 filter of every list (one widget, `divisions/_place_filter.html`): the 村 choices follow the
chosen 乡镇, refreshed by HTMX from `village_options` (scoped: a township outside the user's jurisdiction
answers 404). A list's filter form keeps its parameters `township` (9 digits) and `village` (12 digits).

Townships and villages are offered as lists when the jurisdiction is small enough to list them (a county and
below); above that the code is typed (`options` None)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.validators import RegexValidator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from yanzhen.core.guards import get_for_view
from yanzhen.core.jurisdiction import jurisdiction_prefix
from yanzhen.core.text import NormalisedFormField
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division

if TYPE_CHECKING:
    from yanzhen.accounts.models import User

MAX_TOWNSHIPS = 200
MAX_VILLAGES = 300


def townships_for_filter(user: User | None) -> list[Division]:
    """The townships a user may filter by: those under his division, when there are few enough to list."""
    root = jurisdiction_prefix(user) or ""
    if len(root) >= 9:
        return []
    townships = list(
        Division.objects.restrict(user)
        .filter(level=Level.TOWNSHIP, code__startswith=root)
        .order_by("code")[: MAX_TOWNSHIPS + 1]
    )
    return townships if len(townships) <= MAX_TOWNSHIPS else []


def villages_for_filter(user: User | None, township: str = "") -> list[Division]:
    """The villages a user may filter by: those of the chosen township, or under his division when few."""
    root = jurisdiction_prefix(user) or ""
    prefix = township if len(township) == 9 and township.startswith(root) else root
    villages = list(
        Division.objects.restrict(user)
        .filter(level=Level.VILLAGE, code__startswith=prefix)
        .order_by("code")[: MAX_VILLAGES + 1]
    )
    return villages if len(villages) <= MAX_VILLAGES else []


def options_html(divisions, selected: str):
    """<option>s built in Python: a county lists 120 villages, and a template loop per option is slow."""
    return format_html('<option value="">{}</option>', _("All")) + format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((d.code, mark_safe(" selected") if d.code == selected else "", d.name) for d in divisions),
    )


def place_filter(user: User | None, params, *, errors=None) -> dict:
    """What the widget draws for the query `params`: the township and village controls with their options
    (None: typed code) and errors, or an empty township control for a user inside one township."""
    township = (params.get("township") or "").strip()
    village = (params.get("village") or "").strip()
    townships = townships_for_filter(user)
    villages = villages_for_filter(user, township)
    root = jurisdiction_prefix(user) or ""
    errors = errors or {}
    return {
        "url": reverse("division-village-options"),
        "township": {
            "value": township,
            "shown": len(root) < 9,
            "options": options_html(townships, township) if townships else None,
            "errors": errors.get("township", []),
        },
        "village": {
            "value": village,
            "options": options_html(villages, village) if villages else None,
            "errors": errors.get("village", []),
        },
    }


@require_GET
def village_options(request):
    """The <option>s of the village select for a township (HTMX). Empty township: every village the user may
    filter by. A township that is not his (or not a township) answers 404, so nothing leaks."""
    township = request.GET.get("township", "").strip()
    if township:
        found = Division.objects.restrict(request.user).filter(level=Level.TOWNSHIP, code=township).exists()
        if not found:
            raise Http404
    villages = villages_for_filter(request.user, township)
    return HttpResponse(options_html(villages, request.GET.get("village", "")))


def code_of_jurisdiction(user: User | None, code: str) -> str:
    """A township or village code typed into a list's filter (or its export's URL): kept when it names a
    division inside the user's jurisdiction; any other answers 404, as a foreign id does everywhere else
    (not an empty list, and no export audited with 0 rows)."""
    if code:
        get_for_view(Division.objects.all(), user, code=code)
    return code


class JurisdictionPlaceMixin(forms.Form):
    """The `township` and `village` fields of a list's filter form, declared once: a code that is not well
    formed is a form error, a foreign one answers 404 (the form must carry the acting `user`)."""

    user: User | None

    township = NormalisedFormField(
        max_length=9,
        label=gettext_lazy("Township"),
        required=False,
        validators=[RegexValidator(r"^\d{9}$", gettext_lazy("A township code has 9 digits."))],
    )
    village = NormalisedFormField(
        max_length=12,
        label=gettext_lazy("Village"),
        required=False,
        validators=[RegexValidator(r"^\d{12}$", gettext_lazy("A village code has 12 digits."))],
    )

    def clean_township(self):
        return code_of_jurisdiction(self.user, self.cleaned_data.get("township", ""))

    def clean_village(self):
        return code_of_jurisdiction(self.user, self.cleaned_data.get("village", ""))
