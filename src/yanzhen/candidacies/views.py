"""Pages of the pipeline: the board, nomination, a candidacy with its timeline and its next steps, the
batch 公示 and its printable notice, the county's rules. Views parse input and call `workflow`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.candidacies import selectors, services, workflow
from yanzhen.candidacies.forms import (
    STEPS,
    BatchNoticeForm,
    CountyRulesForm,
    DocumentForm,
    NominationForm,
    ObjectionForm,
    ResolveObjectionForm,
    make_form,
    step_for,
)
from yanzhen.candidacies.models import CandidacyState, Document, Objection
from yanzhen.candidacies.rules import rules_for, working_days
from yanzhen.core.history import timeline
from yanzhen.core.jurisdiction import get_scoped_or_404
from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.codes import Level

State = CandidacyState


def _add_errors(form, invalid: ValidationError) -> None:
    for field, messages_ in invalid.message_dict.items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


def board(request):
    within = request.GET.get("in", "").strip()[:12]
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    columns = selectors.board(request.user, within=within, state=state)
    return render(
        request,
        "candidacies/board.html",
        {
            "columns": columns,
            "within": within,
            "state": state,
            "state_choices": State.choices,
            "townships": selectors.township_choices(request.user),
            "can_nominate": request.user.can_edit or request.user.has_role(Role.VILLAGE_SECRETARY),
            "can_decide": workflow.may_decide(request.user),
        },
    )


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
                _add_errors(form, invalid)
            else:
                messages.success(request, _("Nominated."))
                return redirect("candidacies:detail", pk=candidacy.pk)
    else:
        initial = {}
        if request.GET.get("person", "").isdigit():
            initial["person"] = int(request.GET["person"])
        form = NominationForm(initial=initial, user=user)
    return render(request, "candidacies/nominate.html", {"form": form})


def _detail(request, candidacy, *, bound=None, status=200):
    """The candidacy page; `bound` is (to_state, form) or (kind, form) of a submitted form with errors."""
    can_decide = workflow.may_decide(request.user)
    steps = []
    if can_decide:
        for step in STEPS:
            if step.from_state != candidacy.state:
                continue
            form = bound[1] if bound and bound[0] == step.to_state else make_form(step, candidacy)
            steps.append((step, form))
    objections = list(candidacy.objections.all())
    open_objections = [o for o in objections if not o.is_resolved]
    notice = candidacy.public_notice
    context = {
        "candidacy": candidacy,
        "person": candidacy.person,
        "events": candidacy.events.select_related("actor").order_by("at", "id"),
        "history": timeline(candidacy),
        "vetting": getattr(candidacy, "vetting", None),
        "inspection": getattr(candidacy, "inspection", None),
        "decision": getattr(candidacy, "decision", None),
        "notice": notice,
        "notice_working_days": working_days(notice.start, notice.end) if notice else None,
        "objections": objections,
        "open_objections": open_objections,
        "documents": candidacy.documents.all(),
        "steps": steps,
        "can_decide": can_decide,
        "can_add_documents": can_decide or workflow.may_nominate(request.user, candidacy.village),
        "objection_form": bound[1]
        if bound and bound[0] == "objection"
        else ObjectionForm(prefix="objection"),
        "resolve_form": ResolveObjectionForm(prefix="resolve"),
        "document_form": bound[1] if bound and bound[0] == "document" else DocumentForm(prefix="document"),
        "error_objection": bound[2] if bound and bound[0] == "resolve" else None,
        "bound_resolve": bound[1] if bound and bound[0] == "resolve" else None,
    }
    return render(request, "candidacies/detail.html", context, status=status)


def detail(request, pk: int):
    candidacy = selectors.get_candidacy(request.user, pk)
    return _detail(request, candidacy)


@require_POST
def transition(request, pk: int, to: str):
    candidacy = selectors.get_candidacy(request.user, pk)
    if not workflow.may_decide(request.user):
        raise PermissionDenied
    step = step_for(candidacy.state, to)
    if step is None:
        if to not in State.values:
            raise Http404
        messages.error(request, str(workflow.IllegalTransition(candidacy.state, to)))
        return redirect("candidacies:detail", pk=candidacy.pk)
    form = make_form(step, candidacy, request.POST)
    if form.is_valid():
        try:
            _apply(request.user, candidacy, step.to_state, form.cleaned_data)
        except ValidationError as invalid:
            _add_errors(form, invalid)
        except workflow.WorkflowConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("candidacies:detail", pk=candidacy.pk)
        else:
            messages.success(request, _("Saved."))
            return redirect("candidacies:detail", pk=candidacy.pk)
    return _detail(request, candidacy, bound=(step.to_state, form))


def _apply(actor, candidacy, to: str, data: dict) -> None:
    current = candidacy.state
    note = data.get("note", "")
    if current == State.NOMINATED:
        workflow.vet(
            actor=actor,
            candidacy=candidacy,
            passed=to == State.VETTED,
            failed_items=list(data.get("failed_items") or []),
            on=data["on"],
            note=note,
        )
    elif to == State.INSPECTED:
        workflow.inspect(
            actor=actor,
            candidacy=candidacy,
            on=data["on"],
            inspectors=data["inspectors"],
            people_talked_to=data["people_talked_to"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            votes_abstaining=data["votes_abstaining"],
            findings=data["findings"],
        )
    elif current == State.INSPECTED:
        workflow.decide(
            actor=actor, candidacy=candidacy, passed=to == State.DECIDED, on=data["on"], note=note
        )
    elif to == State.IN_NOTICE:
        workflow.start_notice(
            actor=actor, candidacy=candidacy, start=data["start"], end=data["end"], note=note
        )
    elif to == State.IN_POOL:
        workflow.enter_pool(actor=actor, candidacy=candidacy, on=data["on"], note=note)
    elif current == State.IN_NOTICE and to == State.REJECTED:
        if data["objection"] is None:
            raise ValidationError({"objection": "请选择成立的异议"})
        workflow.resolve_objection(
            actor=actor,
            objection=data["objection"],
            upheld=True,
            on=data["on"],
            resolution=data["resolution"],
        )
    elif to == State.PROMOTED:
        if data["seat"] is None:
            raise ValidationError({"seat": "请选择要使用到的职位"})
        workflow.promote(actor=actor, candidacy=candidacy, seat=data["seat"], on=data["on"], note=note)
    elif to == State.REMOVED:
        workflow.remove(actor=actor, candidacy=candidacy, reason=data["reason"], on=data["on"], note=note)


@require_POST
def objection_add(request, pk: int):
    candidacy = selectors.get_candidacy(request.user, pk)
    form = ObjectionForm(request.POST, prefix="objection")
    if form.is_valid():
        try:
            workflow.record_objection(
                actor=request.user,
                candidacy=candidacy,
                received_on=form.cleaned_data["received_on"],
                content=form.cleaned_data["content"],
            )
        except ValidationError as invalid:
            _add_errors(form, invalid)
        except workflow.WorkflowConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("candidacies:detail", pk=candidacy.pk)
        else:
            messages.success(request, _("Objection recorded."))
            return redirect("candidacies:detail", pk=candidacy.pk)
    return _detail(request, candidacy, bound=("objection", form))


@require_POST
def objection_resolve(request, pk: int, objection_pk: int):
    candidacy = selectors.get_candidacy(request.user, pk)
    objection = Objection.objects.filter(pk=objection_pk, candidacy=candidacy).first()
    if objection is None:
        raise Http404
    form = ResolveObjectionForm(request.POST, prefix="resolve")
    if form.is_valid():
        try:
            workflow.resolve_objection(
                actor=request.user,
                objection=objection,
                upheld=False,
                on=form.cleaned_data["on"],
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as invalid:
            _add_errors(form, invalid)
        except workflow.WorkflowConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("candidacies:detail", pk=candidacy.pk)
        else:
            messages.success(request, _("Objection resolved."))
            return redirect("candidacies:detail", pk=candidacy.pk)
    return _detail(request, candidacy, bound=("resolve", form, objection.pk))


@require_POST
def document_add(request, pk: int):
    candidacy = selectors.get_candidacy(request.user, pk)
    form = DocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            services.add_document(
                actor=request.user,
                candidacy=candidacy,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, _("Document added."))
            return redirect("candidacies:detail", pk=candidacy.pk)
    return _detail(request, candidacy, bound=("document", form))


def document(request, pk: int):
    """A document, only inside the jurisdiction, always as a download (never rendered inline)."""
    found = get_scoped_or_404(Document.objects.all(), request.user, pk=pk)
    extension = found.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{found.title}.{extension}",
        content_type=found.content_type,
    )


@require_http_methods(["GET", "POST"])
def notice_start(request):
    """Start one 公示 for every decided candidacy of a township."""
    if not workflow.may_decide(request.user):
        raise PermissionDenied
    waiting = selectors.decided_by_township(request.user)
    townships = [township for township, _count in waiting] or selectors.township_choices(request.user)
    if request.method == "POST":
        form = BatchNoticeForm(request.POST, townships=selectors.township_choices(request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = workflow.start_notices_for_township(
                    actor=request.user,
                    township=data["township"],
                    start=data["start"],
                    end=data["end"],
                    note=data["note"],
                )
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(request, _("The public notice has started."))
                return redirect("candidacies:notice-print", pk=notice.pk)
    else:
        form = BatchNoticeForm(townships=townships)
    rules = [(township, rules_for(township)) for township, _count in waiting]
    return render(
        request,
        "candidacies/notice_start.html",
        {"form": form, "waiting": waiting, "rules": rules},
    )


def notice_print(request, pk: int):
    """The 公示 as it goes up on the village notice boards."""
    notice = selectors.get_notice(request.user, pk)
    return render(
        request,
        "candidacies/notice_print.html",
        {
            "notice": notice,
            "candidacies": selectors.notice_candidacies(notice),
            "working_days": working_days(notice.start, notice.end),
        },
    )


@require_http_methods(["GET", "POST"])
def county_rules(request, code: str):
    county = division_selectors.get_division(request.user, code)
    if not request.user.has_role(Role.ADMIN) or county.level != Level.COUNTY:
        raise PermissionDenied
    rules = rules_for(county)
    if request.method == "POST":
        form = CountyRulesForm(request.POST)
        if form.is_valid():
            try:
                services.save_county_rules(actor=request.user, county=county, **form.cleaned_data)
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("candidacies:county-rules", args=[county.code]))
    else:
        form = CountyRulesForm(
            initial={
                "notice_working_days": rules.notice_working_days,
                "secretary_minimum_age": rules.secretary_minimum_age,
                "secretary_maximum_age": rules.secretary_maximum_age,
                "secretary_party_member_required": rules.secretary_party_member_required,
                "supervision_phone": rules.supervision_phone,
            }
        )
    return render(
        request,
        "candidacies/county_rules.html",
        {"form": form, "county": county, "breadcrumb": county.ancestors(), "division": county},
    )
