"""The election's pages: the county's elections, the plan, the villages' progress, a village's slate with the
joint review and its notice, results (a village, or a whole township in one form) and handovers.

Views parse input and call the services; reads are in `selectors`. Outside the jurisdiction a record
answers 404, a reader's write 403 (`core.guards`); a service's `ValidationError` shows on its form, its
`Conflict` (a step out of order) as an error message with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.core.api_errors import Conflict
from yanzhen.core.forms import run_service
from yanzhen.core.guards import require_editor
from yanzhen.divisions.models import Division
from yanzhen.divisions.selectors import county_of_user
from yanzhen.elections import selectors, services
from yanzhen.elections.forms import (
    AdvanceForm,
    ElectionForm,
    HandoverForm,
    ProposeForm,
    PubliciseForm,
    ReplyForm,
    ResultsForm,
    WithdrawForm,
)
from yanzhen.elections.models import NEXT_STATE, Candidate, ElectionState
from yanzhen.elections.rules import may_plan
from yanzhen.people.selectors import filter_townships
from yanzhen.posts.selectors import village_committee

PLAN_FIELDS = list(ElectionForm.base_fields)


def state_label(state: str) -> str:
    """The state as the pages name it (已完成 for a finished election)."""
    if state == ElectionState.DONE:
        return _("Election done")
    return str(ElectionState(state).label)


def _require_planner(user, county_code: str) -> None:
    require_editor(user)
    if not may_plan(user, county_code):
        raise PermissionDenied


def _submit(request, form, call, *, done: str, back: str, again):
    """A posted form through its service: valid and accepted, the message `done` and back to `back`; refused
    for its data, `again()` shows the form with the errors; refused for the order of the steps (Conflict),
    the reason as an error message and back, nothing written."""
    if form.is_valid():
        try:
            accepted = run_service(form, call)
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect(back)
        if accepted:
            messages.success(request, done)
            return redirect(back)
    return again()


def _form_page(request, form, template: str, context: Callable[[], dict], call, *, done: str, back: str):
    """The form's page (GET), or the posted form through its service (`_submit`), the page again with the
    errors (400) when it is refused for its data; `context()`: the page's other values."""

    def again():
        return render(request, template, {**context(), "form": form}, status=400 if form.errors else 200)

    if request.method != "POST":
        return again()
    return _submit(request, form, call, done=done, back=back, again=again)


def print_url(name: str, election_pk: int, code: str, fallback: str) -> str:
    """The printable list the report helper builds, by name when it exists, else its planned path."""
    try:
        return reverse(name, args=[election_pk, code])
    except NoReverseMatch:
        return f"/elections/{election_pk}/villages/{code}/print/{fallback}/"


# --- The county's elections ----------------------------------------------------------------------------------


@require_GET
def election_list(request):
    county = county_of_user(request.user)
    can_create = county is not None and may_plan(request.user, county.code)
    return render(
        request,
        "elections/list.html",
        {"elections": selectors.elections(request.user), "can_create": can_create, "county": county},
    )


@require_http_methods(["GET", "POST"])
def election_create(request):
    county = county_of_user(request.user)
    if county is None:
        raise Http404
    _require_planner(request.user, county.code)
    form = ElectionForm(request.POST or None)
    created = {}

    def create():
        created["election"] = services.create_election(actor=request.user, county=county, **form.values())

    if request.method == "POST":
        if form.is_valid():
            try:
                accepted = run_service(form, create, rename={"county": None})
            except Conflict as conflict:
                form.add_error(None, str(conflict))
                accepted = False
            if accepted:
                messages.success(request, _("The election was created."))
                return redirect("elections:detail", pk=created["election"].pk)
    return render(
        request,
        "elections/election_form.html",
        {"form": form, "county": county, "election": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def election_plan(request, pk: int):
    election = selectors.get_election(request.user, pk)
    _require_planner(request.user, election.county_id)
    if request.method == "POST":
        form = ElectionForm(request.POST)
    else:
        form = ElectionForm(initial={name: getattr(election, name) for name in PLAN_FIELDS})
    return _form_page(
        request,
        form,
        "elections/election_form.html",
        lambda: {"county": election.county, "election": election},
        lambda: services.update_plan(actor=request.user, election=election, **form.values()),
        done=_("Saved."),
        back=reverse("elections:detail", args=[election.pk]),
    )


@require_GET
def election_detail(request, pk: int):
    """The plan and targets, the state, and the villages' progress grouped by township (filters: township,
    stage)."""
    election = selectors.get_election(request.user, pk)
    townships = filter_townships(request.user)
    township = request.GET.get("township", "").strip()
    if township not in {division.code for division in townships}:
        township = ""
    stage = request.GET.get("stage", "").strip()
    if stage not in selectors.STAGE_LABELS:
        stage = ""
    all_rows = selectors.village_rows(request.user, election, township=township)
    rows = [row for row in all_rows if row.stage == stage] if stage else all_rows
    summary = selectors.stage_summary(all_rows)
    next_state = NEXT_STATE.get(ElectionState(election.state))
    return render(
        request,
        "elections/detail.html",
        {
            "election": election,
            "plan": _plan_rows(election),
            "rows": rows,
            "summary": [(key, label, summary[key]) for key, label in selectors.STAGE_LABELS.items()],
            "townships": townships,
            "township": township,
            "stage": stage,
            "stages": selectors.STAGE_LABELS,
            "can_plan": may_plan(request.user, election.county_id) and election.state != ElectionState.DONE,
            "can_edit": request.user.can_edit and election.state != ElectionState.DONE,
            "next_state": next_state,
            "next_state_label": state_label(next_state) if next_state else "",
            "result_townships": _result_townships(request.user, election, rows),
        },
    )


PLAN_SHOWN = (
    "term_years",
    "one_shoulder_pct",
    "college_pct",
    "cross_post_pct",
    "warning_months",
    "woman_each_committee",
    "young_each_village",
    "younger_and_better",
)


def _plan_rows(election) -> list[tuple[str, object]]:
    """(label, value) of the plan's targets, labelled as the model names them."""
    rows = []
    for name in PLAN_SHOWN:
        value = getattr(election, name)
        if isinstance(value, bool):
            yes, no = _("yes,no").split(",")
            value = yes if value else no
        elif name.endswith("_pct"):
            value = f"{value.normalize():f}"
        rows.append((election._meta.get_field(name).verbose_name, value))
    return rows


def _result_townships(user, election, rows):
    """The townships whose villages the user may enter results for, in the order of the table."""
    if not user.can_edit or election.state != ElectionState.VOTING:
        return []
    seen: dict[str, Division] = {}
    for row in rows:
        seen.setdefault(row.village.parent_id, row.village.parent)
    return list(seen.values())


@require_POST
def election_advance(request, pk: int):
    election = selectors.get_election(request.user, pk)
    _require_planner(request.user, election.county_id)
    form = AdvanceForm(request.POST)
    back = reverse("elections:detail", args=[election.pk])
    if not form.is_valid():
        messages.error(request, _("Choose the state to move to."))
        return redirect(back)
    try:
        moved = services.advance(actor=request.user, election=election, to=form.cleaned_data["to"])
    except Conflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(request, _("The election is now: %(state)s") % {"state": state_label(moved.state)})
    return redirect(back)


# --- A village's slate ---------------------------------------------------------------------------------------


def _village_context(request, election, village, bound: dict | None = None) -> dict:
    """The village page: the sitting committee, the slate per post with the review, the suggestions, the
    forms (a submitted one with its errors by its place in `bound`)."""
    bound = bound or {}
    user = request.user
    committee = village_committee(user, village)
    groups = selectors.slate(user, election, village)
    notice = selectors.notice_of(user, election, village)
    results = selectors.results_of(user, election, village)
    post_types = selectors.committee_post_types()
    can_edit = user.can_edit and election.state != ElectionState.DONE
    open_slate = can_edit and notice is None and not results
    if open_slate:
        _candidate_forms(groups, bound)
    voting = election.state == ElectionState.VOTING
    return {
        "election": election,
        "village": village,
        "division": village,
        "committee": committee,
        "groups": groups,
        "standing": sum(len(group.standing) for group in groups),
        "departments": selectors.departments(),
        "notice": notice,
        "results": results,
        "post_types": post_types,
        "can_edit": can_edit,
        "open_slate": open_slate,
        "suggestions": selectors.suggestions(user, election, village, committee) if open_slate else [],
        "propose_form": bound.get("propose") or ProposeForm(user=user, post_types=post_types),
        "reply_for": bound.get("reply_for"),
        "withdraw_for": bound.get("withdraw_for"),
        "publicise_form": bound.get("publicise") or PubliciseForm(village=village),
        "print_slate": print_url("elections:print-slate", election.pk, village.code, "slate"),
        "print_results": print_url("elections:print-results", election.pk, village.code, "results"),
        "can_record_results": can_edit and voting and notice is not None and not results,
    }


def _candidate_forms(groups, bound: dict) -> None:
    """The reply and withdrawal forms of each standing candidate: the submitted one where it was refused."""
    for group in groups:
        for entry in group.standing:
            pk = entry.candidate.pk
            entry.reply_form = bound["reply"] if bound.get("reply_for") == pk else ReplyForm(prefix=f"r{pk}")
            entry.withdraw_form = (
                bound["withdraw"] if bound.get("withdraw_for") == pk else WithdrawForm(prefix=f"w{pk}")
            )


def _village_page(request, election, village, bound: dict | None = None):
    context = _village_context(request, election, village, bound)
    failed = any(
        getattr(form, "errors", None) for key, form in (bound or {}).items() if not key.endswith("_for")
    )
    return render(request, "elections/village.html", context, status=400 if failed else 200)


def _village(request, pk: int, code: str, *, write: bool = False):
    election = selectors.get_election(request.user, pk)
    village = selectors.get_village(request.user, election, code)
    if write:
        require_editor(request.user)
    return election, village


def _village_url(election, village) -> str:
    return reverse("elections:village", args=[election.pk, village.code])


@require_GET
def village_detail(request, pk: int, code: str):
    election, village = _village(request, pk, code)
    return _village_page(request, election, village)


@require_POST
def candidate_propose(request, pk: int, code: str):
    election, village = _village(request, pk, code, write=True)
    form = ProposeForm(request.POST, user=request.user, post_types=selectors.committee_post_types())

    def propose():
        """The person on the slate, with his matching score when he is a reserve of the village's pool."""
        data = form.cleaned_data
        person = data["person"]
        score = selectors.match_scores(request.user, village).get(person.pk, (None, []))[0]
        services.propose(
            actor=request.user,
            election=election,
            village=village,
            person=person,
            post_type=data["post_type"],
            also_chair=data["also_chair"],
            match_score=score,
        )

    return _submit(
        request,
        form,
        propose,
        done=_("Proposed."),
        back=_village_url(election, village),
        again=lambda: _village_page(request, election, village, {"propose": form}),
    )


def _candidate(request, pk: int, candidate_pk: int):
    election = selectors.get_election(request.user, pk)
    try:
        candidate = (
            Candidate.objects.restrict(request.user)
            .select_related("village", "person", "post_type")
            .get(pk=candidate_pk, election=election)
        )
    except (Candidate.DoesNotExist, ValueError) as missing:
        raise Http404 from missing
    require_editor(request.user)
    return election, candidate


def _on_candidate(request, pk: int, candidate_pk: int, key: str):
    """A candidate's withdrawal or reply (`key`: the form's name in the village page, its prefix `w12`, `r12`)
    through its service, `write(actor=…, candidate=…, **cleaned_data)`; the village page again on errors."""
    form_class: type[WithdrawForm | ReplyForm]
    write: Callable[..., object]
    if key == "withdraw":
        form_class, write, done, anchor = WithdrawForm, services.withdraw, _("Withdrawn."), False
    else:
        form_class, write, done, anchor = ReplyForm, services.record_reply, _("Reply recorded."), True
    election, candidate = _candidate(request, pk, candidate_pk)
    form = form_class(request.POST, prefix=f"{key[0]}{candidate.pk}")
    back = _village_url(election, candidate.village) + (f"#candidate-{candidate.pk}" if anchor else "")
    return _submit(
        request,
        form,
        lambda: write(actor=request.user, candidate=candidate, **form.cleaned_data),
        done=done,
        back=back,
        again=lambda: _village_page(
            request, election, candidate.village, {key: form, f"{key}_for": candidate.pk}
        ),
    )


@require_POST
def candidate_withdraw(request, pk: int, candidate_pk: int):
    return _on_candidate(request, pk, candidate_pk, "withdraw")


@require_POST
def candidate_reply(request, pk: int, candidate_pk: int):
    return _on_candidate(request, pk, candidate_pk, "reply")


@require_POST
def slate_publicise(request, pk: int, code: str):
    election, village = _village(request, pk, code, write=True)
    form = PubliciseForm(request.POST, village=village)
    return _submit(
        request,
        form,
        lambda: services.publicise_slate(
            actor=request.user,
            election=election,
            village=village,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            supervision_phone=form.cleaned_data["supervision_phone"] or None,
        ),
        done=_("The slate is publicised."),
        back=_village_url(election, village),
        again=lambda: _village_page(request, election, village, {"publicise": form}),
    )


# --- Results -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def village_results(request, pk: int, code: str):
    election, village = _village(request, pk, code, write=True)
    seats = selectors.result_seats(request.user, election, [village.code]).get(village.code, [])
    form = ResultsForm(request.POST or None, village=village, seats=seats)
    return _form_page(
        request,
        form,
        "elections/results.html",
        lambda: {
            "election": election,
            "village": village,
            "division": village,
            "notice": selectors.notice_of(request.user, election, village),
            "recorded": selectors.results_of(request.user, election, village),
        },
        lambda: services.record_results(
            actor=request.user,
            election=election,
            village=village,
            elected_on=form.cleaned_data["elected_on"],
            entries=form.entries(),
        ),
        done=_("The results are recorded."),
        back=_village_url(election, village),
    )


@require_http_methods(["GET", "POST"])
def township_results(request, pk: int, code: str):
    """Every village of a township without results yet, one row per seat, submitted in one go: all or
    nothing (`services.record_many_results`), each village's errors on its block."""
    election = selectors.get_election(request.user, pk)
    township = selectors.get_township(request.user, election, code)
    require_editor(request.user)
    forms, waiting = _township_forms(request, election, township)
    every_village_on = _date_or_none(request.POST.get("elected_on_all", ""))
    if request.method == "POST" and _record_township(request, election, forms, every_village_on):
        return redirect(reverse("elections:detail", args=[election.pk]) + f"?township={township.code}")
    return render(
        request,
        "elections/township_results.html",
        {
            "election": election,
            "township": township,
            "forms": forms,
            "waiting": waiting,
            "elected_on_all": every_village_on.isoformat() if every_village_on else "",
        },
        status=400 if request.method == "POST" else 200,
    )


def _township_forms(request, election, township):
    """A results form for each village of the township whose slate was publicised and has no results yet;
    the villages not publicised yet (named on the page, without a form)."""
    pending = [
        row
        for row in selectors.village_rows(request.user, election, township=township.code)
        if not row.results
    ]
    rows = [row for row in pending if row.notice is not None]
    waiting = [row for row in pending if row.notice is None]
    seats = selectors.result_seats(request.user, election, [row.village.code for row in rows])
    forms = [
        (
            row,
            ResultsForm(
                request.POST or None,
                village=row.village,
                seats=seats.get(row.village.code, []),
                prefix=row.village.code,
            ),
        )
        for row in rows
    ]
    return forms, waiting


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _record_township(request, election, forms, every_village_on: date | None) -> bool:
    """Whether the villages filled in were recorded; if not, the errors are on their forms (or said). A
    village without its own election day takes the township's (`every_village_on`), when one was given."""
    if not all([form.is_valid() for _row, form in forms]):  # every form validated, for its errors
        return False
    batch = [
        (form.village, form.cleaned_data["elected_on"] or every_village_on, form.entries())
        for _row, form in forms
        if not form.is_blank()
    ]
    if not batch:
        messages.error(request, _("Enter the results of at least one village."))
        return False
    try:
        services.record_many_results(actor=request.user, election=election, villages=batch)
    except ValidationError as invalid:
        by_name = {form.village.name: form for _row, form in forms}
        for name, problems in invalid.message_dict.items():
            if name in by_name:
                by_name[name].add_error(None, problems)
        return False
    count = len(batch)
    messages.success(
        request,
        ngettext(
            "The results of %(count)d village is recorded.",
            "The results of %(count)d villages are recorded.",
            count,
        )
        % {"count": count},
    )
    return True


# --- Handovers -----------------------------------------------------------------------------------------------


@require_GET
def handover_list(request, pk: int):
    election = selectors.get_election(request.user, pk)
    owed = request.GET.get("owed") == "1"
    rows = list(selectors.handovers(request.user, election, owed_only=owed))
    return render(
        request,
        "elections/handovers.html",
        {
            "election": election,
            "rows": [
                (row, HandoverForm(prefix=f"h{row.pk}", initial=_handover_initial(row))) for row in rows
            ],
            "owed": owed,
            "can_edit": request.user.can_edit,
        },
    )


def _handover_initial(row) -> dict:
    return {"audit_done": row.audit_done, "handed_over_on": row.handed_over_on, "note": row.note}


@require_POST
def handover_update(request, pk: int, handover_pk: int):
    election = selectors.get_election(request.user, pk)
    handover = selectors.get_handover(request.user, election, handover_pk)
    require_editor(request.user)
    form = HandoverForm(request.POST, prefix=f"h{handover.pk}")
    back = reverse("elections:handovers", args=[election.pk])
    if request.POST.get("owed") == "1":
        back += "?" + urlencode({"owed": "1"})

    def again():
        rows = [
            (
                row,
                form
                if row.pk == handover.pk
                else HandoverForm(prefix=f"h{row.pk}", initial=_handover_initial(row)),
            )
            for row in selectors.handovers(request.user, election)
        ]
        return render(
            request,
            "elections/handovers.html",
            {"election": election, "rows": rows, "owed": False, "can_edit": True},
            status=400,
        )

    return _submit(
        request,
        form,
        lambda: services.update_handover(actor=request.user, handover=handover, **form.cleaned_data),
        done=_("Saved."),
        back=back,
        again=again,
    )
