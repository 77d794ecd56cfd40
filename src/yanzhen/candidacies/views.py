"""Pages of the pipeline: nomination, a candidacy with its timeline and its next steps (the cards of
`transitions`), the batch 公示 and its printable notice, the county's rules. Views parse input and call the
services (`workflow`, `notice`, `services`)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.candidacies import consequences, filing, notice, selectors, services, transitions, workflow
from yanzhen.candidacies.forms import (
    BatchNoticeForm,
    CountyRulesForm,
    DocumentForm,
    NominationForm,
    ObjectionForm,
    ResolveObjectionForm,
    notice_end_for,
)
from yanzhen.candidacies.models import CandidacyState, CountyRules, Document, Objection
from yanzhen.candidacies.rules import rules_for, working_days
from yanzhen.core import versioning
from yanzhen.core.forms import add_service_errors
from yanzhen.core.guards import get_for_view, require_editor, today
from yanzhen.core.history import timeline
from yanzhen.core.listing import SELECTED_PARAM
from yanzhen.core.views_kit import edit_form, saved
from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.codes import Level
from yanzhen.holidays.calendar import missing_note

State = CandidacyState


@require_http_methods(["GET", "POST"])
def nominate(request):
    user = request.user
    if not (user.can_edit or user.has_role(Role.VILLAGE_SECRETARY)):
        raise PermissionDenied
    if request.method == "POST":
        form = NominationForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    candidacy = workflow.nominate(
                        actor=user,
                        person=data["person"],
                        post_types=list(data["post_types"]),
                        nomination_way=data["nomination_way"],
                        recommender=data["recommender"],
                        pairing=data["pairing"],
                        pairing_members=data["pairing_members"],
                        readiness=data["readiness"],
                        key_cultivation=data["key_cultivation"],
                        on=data["on"],
                        note=data["note"],
                    )
                    if data["document"]:
                        services.add_document(
                            actor=user,
                            candidacy=candidacy,
                            title=data["document_title"],
                            file=data["document"],
                        )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("Nominated."))
                return redirect("candidacies:detail", pk=candidacy.pk)
    else:
        initial = {}
        if request.GET.get("person", "").isdigit():
            initial["person"] = int(request.GET["person"])
        form = NominationForm(initial=initial, user=user)
    return render(request, "candidacies/nominate.html", {"form": form})


@require_GET
def nominate_targets(request):
    """The target-post boxes for the nominee and date being typed (HTMX): the key posts the rules allow
    ticked, each refused one with its reason."""
    user = request.user
    if not (user.can_edit or user.has_role(Role.VILLAGE_SECRETARY)):
        raise PermissionDenied
    initial = {key: request.GET[key] for key in ("person", "on") if request.GET.get(key)}
    form = NominationForm(initial=initial, user=user)
    return HttpResponse(str(form["post_types"]))


def _detail(request, candidacy, *, bound: dict | None = None, resolving: int | None = None):
    """The candidacy page; `bound` holds a submitted form with errors by its place (a target state,
    "objection", "resolve" for the objection `resolving`, "document")."""
    bound = bound or {}
    steps = [
        (move, bound[move.target] if move.target in bound else move.make_form(candidacy))
        for move in transitions.offered(request.user, candidacy)
    ]
    objections = list(candidacy.objections.all())
    public_notice = candidacy.public_notice
    can_decide = workflow.may_decide(request.user)
    context = {
        "candidacy": candidacy,
        "person": candidacy.person,
        "events": candidacy.events.select_related("actor").order_by("at", "id"),
        "history": timeline(candidacy),
        "vetting": getattr(candidacy, "vetting", None),
        "inspection": getattr(candidacy, "inspection", None),
        "decision": getattr(candidacy, "decision", None),
        "notice": public_notice,
        "objections": objections,
        "open_objections": [o for o in objections if not o.is_resolved],
        "documents": candidacy.documents.all(),
        "filings": filing.pending_for(candidacy),
        "steps": steps,
        "can_decide": can_decide,
        "can_add_documents": can_decide or workflow.may_nominate(request.user, candidacy.village),
        "objection_form": bound.get("objection")
        or ObjectionForm(prefix="objection", initial=_objection_initial(public_notice)),
        "resolve_form": ResolveObjectionForm(prefix="resolve"),
        "document_form": bound.get("document") or DocumentForm(prefix="document"),
        "error_objection": resolving,
        "bound_resolve": bound.get("resolve"),
        **_notice_period(public_notice),
    }
    return render(request, "candidacies/detail.html", context)


def _notice_period(public_notice) -> dict:
    if public_notice is None:
        return {"notice_working_days": None, "notice_calendar_note": ""}
    return {
        "notice_working_days": working_days(public_notice.start, public_notice.end),
        "notice_calendar_note": missing_note(public_notice.start, public_notice.end),
    }


def _objection_initial(public_notice) -> dict:
    """An objection is received during the notice: today, or the notice's last day once it is over."""
    if public_notice is None:
        return {}
    return {"received_on": min(today(), public_notice.end)}


def detail(request, pk: int):
    candidacy = selectors.get_candidacy(request.user, pk)
    return _detail(request, candidacy)


def _refused(request, candidacy, conflict: Exception):
    messages.error(request, str(conflict))
    return redirect("candidacies:detail", pk=candidacy.pk)


def _submitted(request, candidacy, form, write, done: str, place: str, resolving: int | None = None):
    """A form of the candidacy page: valid, the service writes (`write` may return more messages to add
    after `done`); refused for its data, the page again with the errors on the form at `place`; refused for
    the state, back to the page with the reason."""
    if form.is_valid():
        try:
            more = write(form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        except workflow.WorkflowConflict as conflict:
            return _refused(request, candidacy, conflict)
        else:
            messages.success(request, done)
            for level, message in more or ():
                messages.add_message(request, level, message)
            return redirect("candidacies:detail", pk=candidacy.pk)
    return _detail(request, candidacy, bound={place: form}, resolving=resolving)


@require_POST
def transition(request, pk: int, to: str):
    candidacy = selectors.get_candidacy_for_change(request.user, pk)
    step = transitions.find(candidacy.state, to)
    if step is None:
        if to not in State.values:
            raise Http404
        return _refused(request, candidacy, workflow.IllegalTransition(candidacy.state, to))
    form = step.make_form(candidacy, request.POST)

    def move(_data):
        """The move the answers chose, and what it set off (the notice up, a term started ...)."""
        chosen = transitions.find(candidacy.state, form.chosen_target(step.target))
        assert chosen is not None  # the answers choose between moves declared from this state
        before = consequences.snapshot(request.user, candidacy)
        done = chosen.perform(request.user, candidacy, form.values())
        return filing.consequences(done) + consequences.describe(
            request.user, before, selectors.reread(candidacy)
        )

    # A move without a card of its own (the failed vetting) shows its errors on the card it came from.
    card = step if step.shown else transitions.find(candidacy.state, State.VETTED)
    assert card is not None  # a hidden move is always reached from a card of its state
    return _submitted(request, candidacy, form, move, _("Saved."), card.target)


@require_POST
def objection_add(request, pk: int):
    candidacy = selectors.get_candidacy_for_change(request.user, pk)

    def record(data):
        notice.record_objection(
            actor=request.user, candidacy=candidacy, received_on=data["received_on"], content=data["content"]
        )

    form = ObjectionForm(request.POST, prefix="objection")
    return _submitted(request, candidacy, form, record, _("Objection recorded."), "objection")


@require_POST
def objection_resolve(request, pk: int, objection_pk: int):
    candidacy = selectors.get_candidacy_for_change(request.user, pk)
    objection = get_object_or_404(Objection, pk=objection_pk, candidacy=candidacy)

    def resolve(data):
        notice.resolve_objection(
            actor=request.user,
            objection=objection,
            upheld=False,
            on=data["on"],
            resolution=data["resolution"],
        )

    form = ResolveObjectionForm(request.POST, prefix="resolve")
    return _submitted(request, candidacy, form, resolve, _("Objection resolved."), "resolve", objection.pk)


@require_POST
def document_add(request, pk: int):
    candidacy = selectors.get_candidacy(request.user, pk)

    def add(data):
        services.add_document(actor=request.user, candidacy=candidacy, title=data["title"], file=data["file"])

    form = DocumentForm(request.POST, request.FILES, prefix="document")
    return _submitted(request, candidacy, form, add, _("Document added."), "document")


def document(request, pk: int):
    """A document, only inside the jurisdiction, always as a download (never rendered inline)."""
    found = get_for_view(Document.objects.all(), request.user, pk=pk)
    extension = found.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{found.title}.{extension}",
        content_type=found.content_type,
    )


def _rules_division(user, townships):
    """The division whose county rules give the defaults of a 公示 form (working days, phone)."""
    return user.division or (townships[0] if townships else None)


@require_http_methods(["GET", "POST"])
def notice_start(request):
    """Start one 公示 for every decided candidacy of a township, or for the candidacies ticked on the list
    (`selected`: one notice per township, all or none)."""
    user = request.user
    require_editor(user)
    source = request.POST if request.method == "POST" else request.GET
    ids = [int(value) for value in source.getlist(SELECTED_PARAM)[:5000] if value.isdigit()]
    selected = selectors.selected_candidacies(user, ids) if ids else None
    waiting = selectors.decided_by_township(user)
    all_townships = selectors.township_choices(user)
    form_options = {
        "townships": all_townships,
        "county": _rules_division(user, all_townships),
        "selected": selected is not None,
    }
    if request.method == "POST":
        form = BatchNoticeForm(request.POST, **form_options)
        if form.is_valid():
            try:
                notices = _start_notices(user, form.cleaned_data, selected)
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                return _notices_started(request, notices)
    else:
        townships = [township for township, _count in waiting] or all_townships
        form = BatchNoticeForm(
            initial={"township": townships[0].pk} if len(townships) == 1 else None, **form_options
        )
    return render(request, "candidacies/notice_start.html", _notice_start_context(form, waiting, selected))


def _notice_start_context(form, waiting, selected) -> dict:
    """The 公示 page: the form, the townships waiting with their rules, the ticked candidacies ready or not."""
    selected_list = selected or []
    return {
        "form": form,
        "waiting": waiting,
        "rules": [(township, rules_for(township)) for township, _count in waiting],
        "selected": selected,
        "selected_waiting": [c for c in selected_list if c.state == State.DECIDED],
        "selected_other": [c for c in selected_list if c.state != State.DECIDED],
    }


def _start_notices(user, data: dict, selected) -> list:
    """The notices of the ticked candidacies (one per township), or the one of the chosen township."""
    period = {key: data[key] for key in ("start", "end", "note", "supervision_phone")}
    if selected is not None:
        return notice.start_notices_for_selected(actor=user, candidacies=selected, **period)
    return [notice.start_notices_for_township(actor=user, township=data["township"], **period)]


def _notices_started(request, notices):
    """One notice: its print; several: a link to each print, and the list of candidacies in notice."""
    messages.success(request, _("The public notice has started."))
    if len(notices) == 1:
        return redirect("candidacies:notice-print", pk=notices[0].pk)
    for started in notices:
        messages.info(
            request,
            format_html(
                '{}：<a class="alert-link" href="{}">{} →</a>',
                started.township.name,
                reverse("candidacies:notice-print", args=[started.pk]),
                _("Print the notice"),
            ),
        )
    return redirect(reverse("candidacies:board") + "?view=list&state=in_notice")


@require_GET
def notice_earliest_end(request):
    """{"end": the earliest legal end of a 公示 starting on `start`} under the county of `in` (or the
    user's), for the notice forms to follow the start date."""
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        return JsonResponse({"end": None})
    code = request.GET.get("in", "")
    division = division_selectors.get_division(request.user, code) if code else request.user.division
    if division is None:
        return JsonResponse({"end": None})
    end = notice_end_for(division, start)
    return JsonResponse({"end": end.isoformat(), "warning": missing_note(start, end)})


def notice_print(request, pk: int):
    """The 公示 as it goes up on the village notice boards."""
    public_notice = selectors.get_notice(request.user, pk)
    return render(
        request,
        "candidacies/notice_print.html",
        {
            "notice": public_notice,
            "candidacies": selectors.notice_candidacies(public_notice),
            "working_days": working_days(public_notice.start, public_notice.end),
            "calendar_note": missing_note(public_notice.start, public_notice.end),
        },
    )


@require_http_methods(["GET", "POST"])
def county_rules(request, code: str):
    county = division_selectors.get_division(request.user, code)
    if not request.user.has_role(Role.ADMIN) or county.level != Level.COUNTY:
        raise PermissionDenied
    rules = rules_for(county)
    form = edit_form(request, CountyRulesForm, rules)
    if saved(
        request,
        form,
        lambda: services.save_county_rules(actor=request.user, county=county, **form.cleaned_data),
        within=versioning.saving(form, CountyRules, pk=county.code),
    ):
        return redirect(reverse("candidacies:county-rules", args=[county.code]))
    return render(
        request,
        "candidacies/county_rules.html",
        {"form": form, "county": county, "breadcrumb": county.ancestors(), "division": county},
    )
