from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yanzhen.candidacies.selectors import village_coverage
from yanzhen.core import versioning
from yanzhen.core.guards import require_editor
from yanzhen.core.history import timeline
from yanzhen.core.views_kit import edit_form, saved
from yanzhen.divisions import selectors, services
from yanzhen.divisions.forms import VillageAttributesForm
from yanzhen.divisions.models import Division
from yanzhen.pairing.selectors import pairs_of_village
from yanzhen.posts.selectors import village_committee


def division_tree(request):
    root = selectors.root_division(request.user)
    return render(
        request,
        "divisions/tree.html",
        {
            "root": root,
            "tree": selectors.tree(request.user, root),
            "counts": selectors.village_counts(request.user, root) if root else None,
        },
    )


def division_detail(request, code: str):
    division = selectors.get_division(request.user, code)
    return render(
        request,
        "divisions/detail.html",
        {
            "division": division,
            "breadcrumb": division.ancestors(),
            "tree": selectors.tree(request.user, division) if not division.is_village else [],
            "counts": selectors.village_counts(request.user, division) if not division.is_village else None,
            "timeline": timeline(division),
            "committee": village_committee(request.user, division) if division.is_village else None,
            "village_coverage": village_coverage(request.user, division) if division.is_village else None,
            "pairs": pairs_of_village(request.user, division.code) if division.is_village else None,
        },
    )


@require_http_methods(["GET", "POST"])
def village_edit(request, code: str):
    division = selectors.get_division(request.user, code)
    require_editor(request.user)
    if not division.is_village:
        raise PermissionDenied
    form = edit_form(
        request,
        VillageAttributesForm,
        division,
        initial=lambda: {
            "tags": division.tags.all(),
            "industries": division.industries.all(),
            "latitude": division.latitude,
            "longitude": division.longitude,
        },
    )
    if saved(
        request,
        form,
        lambda: services.update_village_attributes(
            actor=request.user, division=division, **form.cleaned_data
        ),
        within=versioning.saving(form, Division, pk=division.pk),
    ):
        return redirect("division-detail", code=division.code)
    return render(
        request,
        "divisions/edit.html",
        {"division": division, "breadcrumb": division.ancestors(), "form": form},
    )
