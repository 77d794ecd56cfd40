"""Pages of the pipeline: the board, nomination, a candidacy with its timeline and its next steps, the
batch 公示 and its printable notice, the county's rules. Views parse input and call `workflow`."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.candidacies import consequences, selectors, services, workflow
from yanzhen.candidacies.forms import (
    STEPS,
    BatchNoticeForm,
    CountyRulesForm,
    DocumentForm,
    NominationForm,
    ObjectionForm,
    ResolveObjectionForm,
    VettingForm,
    make_form,
    notice_end_for,
    step_for,
)
from yanzhen.candidacies.models import CandidacyState, CountyRules, Document, Objection
from yanzhen.candidacies.rules import rules_for, working_days
from yanzhen.core import versioning
from yanzhen.core.history import timeline
from yanzhen.core.jurisdiction import get_scoped_or_404
from yanzhen.core.listing import SELECTED_PARAM
from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.codes import Level
from yanzhen.holidays.calendar import missing_note

State = CandidacyState


def _add_errors(form, invalid: ValidationError) -> None:
    for field, messages_ in invalid.message_dict.items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


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


def _detail(request, candidacy, *, bound=None, status=200):
    """The candidacy page; `bound` is (to_state, form) or (kind, form) of a submitted form with errors."""
    can_decide = workflow.may_decide(request.user)
    steps = []
    if can_decide:
        for step in STEPS:
            if step.from_state != candidacy.state or not step.shown:
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
        "notice_calendar_note": missing_note(notice.start, notice.end) if notice else "",
        "objections": objections,
        "open_objections": open_objections,
        "documents": candidacy.documents.all(),
        "steps": steps,
        "can_decide": can_decide,
        "can_add_documents": can_decide or workflow.may_nominate(request.user, candidacy.village),
        "objection_form": bound[1]
        if bound and bound[0] == "objection"
        else ObjectionForm(prefix="objection", initial=_objection_initial(notice)),
        "resolve_form": ResolveObjectionForm(prefix="resolve"),
        "document_form": bound[1] if bound and bound[0] == "document" else DocumentForm(prefix="document"),
        "error_objection": bound[2] if bound and bound[0] == "resolve" else None,
        "bound_resolve": bound[1] if bound and bound[0] == "resolve" else None,
    }
    return render(request, "candidacies/detail.html", context, status=status)


def _objection_initial(notice) -> dict:
    """An objection is received during the notice: today, or the notice's last day once it is over."""
    if notice is None:
        return {}
    return {"received_on": min(workflow.today(), notice.end)}


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
        data = dict(form.cleaned_data)
        if isinstance(form, VettingForm):
            data["found_items"] = form.found_items
        before = consequences.snapshot(request.user, candidacy)
        try:
            _apply(request.user, candidacy, step.to_state, data)
        except ValidationError as invalid:
            _add_errors(form, invalid)
        except workflow.WorkflowConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("candidacies:detail", pk=candidacy.pk)
        else:
            messages.success(request, _("Saved."))
            after = selectors.get_candidacy(request.user, candidacy.pk)
            for level, message in consequences.describe(request.user, before, after):
                messages.add_message(request, level, message)
            return redirect("candidacies:detail", pk=candidacy.pk)
    shown = step if step.shown else step_for(candidacy.state, State.VETTED)
    return _detail(request, candidacy, bound=(shown.to_state if shown else step.to_state, form))


def _apply(actor, candidacy, to: str, data: dict) -> None:
    current = candidacy.state
    note = data.get("note", "")
    if current == State.NOMINATED:
        # One vetting form: its answers decide the outcome (any item found: not passed).
        found = list(data.get("found_items") or [])
        if to == State.REJECTED and not found:
            raise ValidationError({"__all__": "资格审查不通过时须标记存在此情形的负面清单项目"})
        workflow.vet(
            actor=actor, candidacy=candidacy, passed=not found, failed_items=found, on=data["on"], note=note
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
            actor=actor,
            candidacy=candidacy,
            start=data["start"],
            end=data["end"],
            note=note,
            supervision_phone=data["supervision_phone"],
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


def _rules_division(user, townships):
    """The division whose county rules give the defaults of a 公示 form (working days, phone)."""
    return user.division or (townships[0] if townships else None)


@require_http_methods(["GET", "POST"])
def notice_start(request):
    """Start one 公示 for every decided candidacy of a township, or for the candidacies ticked on the list
    (`selected`: one notice per township, all or none)."""
    user = request.user
    if not workflow.may_decide(user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    ids = [int(value) for value in source.getlist(SELECTED_PARAM)[:5000] if value.isdigit()]
    selected = selectors.selected_candidacies(user, ids) if ids else None
    waiting = selectors.decided_by_township(user)
    all_townships = selectors.township_choices(user)
    townships = [township for township, _count in waiting] or all_townships
    form_options = {
        "townships": all_townships,
        "county": _rules_division(user, all_townships),
        "selected": selected is not None,
    }
    if request.method == "POST":
        form = BatchNoticeForm(request.POST, **form_options)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if selected is not None:
                    notices = workflow.start_notices_for_selected(
                        actor=user,
                        candidacies=selected,
                        start=data["start"],
                        end=data["end"],
                        note=data["note"],
                        supervision_phone=data["supervision_phone"],
                    )
                else:
                    notices = [
                        workflow.start_notices_for_township(
                            actor=user,
                            township=data["township"],
                            start=data["start"],
                            end=data["end"],
                            note=data["note"],
                            supervision_phone=data["supervision_phone"],
                        )
                    ]
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(request, _("The public notice has started."))
                if len(notices) == 1:
                    return redirect("candidacies:notice-print", pk=notices[0].pk)
                for notice in notices:
                    messages.info(
                        request,
                        format_html(
                            '{}：<a class="alert-link" href="{}">{} →</a>',
                            notice.township.name,
                            reverse("candidacies:notice-print", args=[notice.pk]),
                            _("Print the notice"),
                        ),
                    )
                return redirect(reverse("candidacies:board") + "?view=list&state=in_notice")
    else:
        form = BatchNoticeForm(
            initial={"township": townships[0].pk} if len(townships) == 1 else None, **form_options
        )
    rules = [(township, rules_for(township)) for township, _count in waiting]
    return render(
        request,
        "candidacies/notice_start.html",
        {
            "form": form,
            "waiting": waiting,
            "rules": rules,
            "selected": selected,
            "selected_waiting": [c for c in selected or [] if c.state == State.DECIDED],
            "selected_other": [c for c in selected or [] if c.state != State.DECIDED],
        },
    )


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
    notice = selectors.get_notice(request.user, pk)
    return render(
        request,
        "candidacies/notice_print.html",
        {
            "notice": notice,
            "candidacies": selectors.notice_candidacies(notice),
            "working_days": working_days(notice.start, notice.end),
            "calendar_note": missing_note(notice.start, notice.end),
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
        versioning.track(form, rules)
        if form.is_valid():
            try:
                with versioning.saving(form, CountyRules, pk=county.code):
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
        versioning.track(form, rules)
    return render(
        request,
        "candidacies/county_rules.html",
        {"form": form, "county": county, "breadcrumb": county.ancestors(), "division": county},
    )
