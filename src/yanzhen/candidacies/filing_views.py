"""The pages of 备案/审批 (issue 20 §3): the filings and requests of the jurisdiction (the county's to-do:
those awaiting it), one filing with the county's approve/refuse/acknowledge, the bulk acknowledgement, and the
county's settings. Views parse input and call `candidacies.filing`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.candidacies import filing
from yanzhen.candidacies.filing_forms import ApproveForm, FilingFilterForm, FilingSettingsForm, RefuseForm
from yanzhen.candidacies.models import Filing, FilingMode, FilingSettings, FilingState
from yanzhen.core import versioning
from yanzhen.core.forms import add_service_errors
from yanzhen.core.guards import get_for_change, get_for_view
from yanzhen.core.listing import SELECTED_PARAM, ListSpec
from yanzhen.core.views_kit import edit_form, saved
from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.codes import Level

FILINGS = ListSpec(
    sorts={
        "proposed_at": ("proposed_at",),
        "on": ("on",),
        "name": ("candidacy__person__name",),
        "village": ("candidacy__village__code",),
        "state": ("state",),
    },
    default_sort="-proposed_at",
)


def filings_of(user):
    return Filing.objects.restrict(user).select_related(
        "candidacy__person", "candidacy__village__parent", "proposed_by", "decided_by"
    )


def _filtered(request, rows: QuerySet[Filing]) -> tuple[FilingFilterForm, QuerySet[Filing]]:
    params = request.GET.copy()
    if "state" not in params:
        params["state"] = FilingState.PENDING  # the county's to-do by default
    form = FilingFilterForm(params)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    for name in ("state", "kind", "step"):
        if data.get(name):
            rows = rows.filter(**{name: data[name]})
    if data.get("q"):
        rows = rows.filter(candidacy__person__name__icontains=data["q"])
    return form, rows


@require_GET
def filing_list(request):
    form, rows = _filtered(request, filings_of(request.user))
    listing = FILINGS.page(request, rows)
    may_decide = filing.may_decide_filing(request.user)
    bulk = (
        [
            {
                "url": reverse("filings:acknowledge"),
                "label": _("Acknowledge selected"),
                "css": "btn-outline-success",
            }
        ]
        if may_decide
        else []
    )
    return render(
        request,
        "candidacies/filings/list.html",
        {"form": form, "listing": listing, "bulk_actions": bulk, "may_decide": may_decide},
    )


def _detail(request, found: Filing, *, approve_form=None, refuse_form=None, status: int = 200):
    may_decide = filing.may_decide_filing(request.user) and found.is_pending
    context = {
        "filing": found,
        "candidacy": found.candidacy,
        "inputs": filing.described_inputs(found),
        "may_decide": may_decide,
        "approve_form": approve_form or ApproveForm(prefix="approve"),
        "refuse_form": refuse_form or RefuseForm(prefix="refuse"),
        "history": found.history.select_related("history_user").order_by("history_id"),
    }
    return render(request, "candidacies/filings/detail.html", context, status=status)


@require_GET
def filing_detail(request, pk: int):
    return _detail(request, get_for_view(filings_of(request.user), request.user, pk=pk))


def _decided(request, found: Filing, call, done: str, form, place: str):
    """A decision of the county: done, back to the list; refused, the page again with the reasons."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, done)
            return redirect("filings:list")
    return _detail(request, found, **{place: form}, status=400)


@require_POST
def filing_approve(request, pk: int):
    found = get_for_change(filings_of(request.user), request.user, pk=pk)
    form = ApproveForm(request.POST, prefix="approve")
    return _decided(
        request,
        found,
        lambda data: filing.approve(actor=request.user, filing=found, note=data["note"]),
        _("Approved: the step is done."),
        form,
        "approve_form",
    )


@require_POST
def filing_refuse(request, pk: int):
    found = get_for_change(filings_of(request.user), request.user, pk=pk)
    form = RefuseForm(request.POST, prefix="refuse")
    return _decided(
        request,
        found,
        lambda data: filing.refuse(actor=request.user, filing=found, reason=data["reason"]),
        _("Refused: the candidacy stays where it was."),
        form,
        "refuse_form",
    )


@require_http_methods(["GET", "POST"])
def filing_acknowledge(request):
    """The filings (备案) ticked on the list, or the one of a filing's page, acknowledged at once."""
    if not filing.may_decide_filing(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    ids = [
        int(value) for value in source.getlist(SELECTED_PARAM)[:5000] if value.isdigit() and len(value) < 19
    ]
    chosen = list(
        filings_of(request.user)
        .filter(pk__in=ids, kind=FilingMode.FILING, state=FilingState.PENDING)
        .order_by("proposed_at", "pk")
    )
    error = ""
    if request.method == "POST":
        try:
            filing.acknowledge(actor=request.user, filings=chosen)
        except ValidationError as invalid:
            error = "；".join(invalid.messages)
        else:
            messages.success(request, _("Acknowledged: %(count)d.") % {"count": len(chosen)})
            return redirect("filings:list")
    return render(
        request,
        "candidacies/filings/acknowledge.html",
        {"chosen": chosen, "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def filing_settings(request):
    """The county's settings: which of its townships' 入库 and 出库 are filed with it or approved by it."""
    if not filing.may_decide_filing(request.user):
        raise PermissionDenied
    code = request.GET.get("division", "").strip() or (request.user.division_id or "")
    county = division_selectors.get_division(request.user, code[:6]) if len(code) >= 6 else None
    if county is None or county.level != Level.COUNTY:
        return render(request, "candidacies/filings/settings.html", {"county": None})
    stored = FilingSettings.objects.filter(pk=county.code).first()
    form = edit_form(request, FilingSettingsForm, stored, source=stored or FilingSettings(county=county))
    if saved(
        request,
        form,
        lambda: filing.save_settings(actor=request.user, county=county, **form.cleaned_data),
        within=versioning.saving(form, FilingSettings, pk=county.code),
    ):
        return redirect(reverse("filings:settings") + f"?division={county.code}")
    return render(
        request, "candidacies/filings/settings.html", {"county": county, "form": form, "division": county}
    )
