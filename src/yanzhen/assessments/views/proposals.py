"""Removal proposals (出库建议: the list, a proposal and its decision) and the notice board."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.assessments import lists, rules, selectors, services
from yanzhen.assessments.forms import (
    ProposalDecisionForm,
)
from yanzhen.assessments.models import (
    ProposalBasis,
    ProposalState,
)
from yanzhen.assessments.views.common import (
    division_code,
    list_page,
    reader_division,
    require_reader,
    state_from_query,
)
from yanzhen.core import guards
from yanzhen.core.forms import add_service_errors
from yanzhen.core.views_kit import village_form_page

# -- removal proposals and the notice board ----------------------------------------------------------------


@require_GET
def proposal_list(request):
    division = reader_division(request)
    state = state_from_query(request)
    listing = lists.REMOVAL_PROPOSALS.page(
        request, selectors.proposals(request.user, None if state == "all" else state, division_code(division))
    )
    return list_page(
        request,
        "assessments/proposal_list.html",
        division,
        listing=listing,
        proposals=listing.rows,
        state=state,
        states=[(value, label) for value, label in ProposalState.choices] + [("all", _("All"))],
    )


@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    proposal = selectors.get_proposal(request.user, pk)
    require_reader(request)
    can_decide = rules.may_decide_proposal(request.user) and proposal.state == ProposalState.PENDING
    form = None
    if can_decide:
        form = ProposalDecisionForm(
            request.POST or None,
            initial={"on": guards.today()},
            checkup_basis=proposal.basis == ProposalBasis.CHECKUP,
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "confirm":
                    services.confirm_proposal(
                        actor=request.user,
                        proposal=proposal,
                        on=data["on"],
                        reason=data.get("reason") or "",
                        note=data["note"],
                    )
                else:
                    services.reject_proposal(
                        actor=request.user, proposal=proposal, reason=data["note"], on=data["on"]
                    )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("Saved."))
                return redirect("assessments:proposal-detail", pk=proposal.pk)
    return village_form_page(
        request, "assessments/proposal_detail.html", proposal.candidacy.village, form, proposal=proposal
    )


@require_GET
def notice_board(request):
    """The printable list of reserves to introduce on the village notice board before the election."""
    division = reader_division(request)
    entries = list(selectors.notice_board(request.user, division_code(division)))
    villages: dict[str, list] = {}
    for entry in entries:
        villages.setdefault(entry.candidacy.village_id, []).append(entry)
    return list_page(
        request,
        "assessments/notice_board.html",
        division,
        groups=[(group[0].candidacy.village, group) for group in villages.values()],
        today=guards.today(),
    )
