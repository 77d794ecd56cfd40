"""Pages of the incumbents (在职村干部, issue 5 §6): a village's monthly scores (月考评) and 双述双评, correcting
or deleting them, the list of 双述双评, the adjustment proposals (调整建议) with the clerk's decision, the
county's items, grade bands and rules, and the half-year analysis (半年研判).

Views only parse input: reads go through `selectors`, writes through `services` and `rules` (of this
package), which check jurisdiction (404) and role (403) themselves and answer bad input with Chinese
messages per field (shown next to the field, status 422, nothing written). The xlsx exports of the lists
are in `exports`.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.assessments import lists
from yanzhen.assessments.incumbents import rules as incumbent_rules
from yanzhen.assessments.incumbents import selectors, services
from yanzhen.assessments.models import (
    ADJUSTMENT_STATE_NAMES,
    AnnualReview,
    MonthlyScore,
    ProposalState,
)
from yanzhen.assessments.views.common import (
    announces_fired_rules,
    date_or_none,
    division_code,
    errors_by_field,
    errors_page,
    int_or_none,
    list_page,
    period_list_page,
    reader_division,
    reader_period,
    require_reader,
    state_from_query,
)
from yanzhen.core import guards, versioning
from yanzhen.core.guards import get_for_view
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.duty.selectors import attendance_suggestions
from yanzhen.posts.models import Term
from yanzhen.surveys.selectors import satisfaction_suggestions

REVIEW_FIELDS = ["year", "report_text", "satisfied", "basically_satisfied", "dissatisfied", "reviewed_on"]


def _village_url(village_code: str, month: date) -> str:
    return (
        reverse("assessments:incumbents", args=[village_code]) + "?" + urlencode({"month": f"{month:%Y-%m}"})
    )


def _review_input(values: dict) -> services.ReviewInput:
    return services.ReviewInput(
        year=int_or_none(values.get("year")),
        report_text=values.get("report_text", ""),
        satisfied=int_or_none(values.get("satisfied")),
        basically_satisfied=int_or_none(values.get("basically_satisfied")),
        dissatisfied=int_or_none(values.get("dissatisfied")),
        reviewed_on=date_or_none(values.get("reviewed_on")),  # type: ignore[arg-type]
    )


# -- one village: monthly scores and 双述双评 ----------------------------------------------------------------


def village_of_page(request, code: str, *, change: bool = False) -> Division:
    """The village a page is about: 404 outside the jurisdiction or for a code of another level, then (a
    page that changes it) 403 for a reader."""
    villages = Division.objects.select_related("parent").filter(level=Level.VILLAGE)
    return (guards.get_for_change if change else guards.get_for_view)(villages, request.user, code=code)


def _save_posted(request, term: Term, month: date) -> date:
    """Save the 双述双评 or the monthly score posted on a village's page; the month it was for."""
    if request.POST.get("action") == "review":
        services.record_annual_review(actor=request.user, term=term, data=_review_input(request.POST))
        messages.success(request, _("The annual review was saved."))
        return month
    month = services.parse_month(request.POST.get("month", "")) or month
    scores = {
        int(key.removeprefix("score_")): request.POST[key]
        for key in request.POST
        if key.startswith("score_") and key.removeprefix("score_").isdigit()
    }
    services.record_monthly_score(
        actor=request.user, term=term, month=month, scores=scores, note=request.POST.get("note", "")
    )
    messages.success(request, _("The monthly score was saved."))
    return month


def _suggestions(terms: list[Term], month: date, items) -> dict[int, dict[int, int]]:
    """Per term, {item id: suggested score} of the items the county lets the duty rota's attendance (duty) and
    the villages' satisfaction (surveys) feed; the two never feed the same item (their settings refuse it)."""
    suggested = attendance_suggestions(terms, month, items)
    for term_pk, scores in satisfaction_suggestions(terms, month, items).items():
        suggested.setdefault(term_pk, {}).update(scores)
    return suggested


def _village_page_rows(user, division: Division, month: date, items) -> list[dict]:
    bands = selectors.Bands()
    rows = services.village_rows(user, division, month)
    # The attendance item's score suggested from the duty rota (duty app) and the satisfaction item's from the
    # surveys (the county's choices); the clerk may overwrite them.
    suggested = _suggestions([row.term for row in rows if row.score is None], month, items)
    return [
        {
            "term": row.term,
            "entry": [(item, suggested.get(row.term.pk, {}).get(item.pk, "")) for item in items],
            "score": row.score,
            "grade": selectors.grade_label(bands.grade(division.code, row.score.total)) if row.score else "",
            # The item scores under the county's current items; a score given on items the county has
            # changed since shows its own items in words instead of misaligned columns.
            "cells": services.cells_under(items, row.score) if row.score else None,
            "recorded": "、".join(f"{e['name']} {e['score']}/{e['points']}" for e in row.score.items)
            if row.score
            else "",
        }
        for row in rows
    ]


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def incumbents(request, village: str):
    """One village's incumbents with their scores of the month and its grade, a scoring form and a 双述双评
    form."""
    require_reader(request)
    division = village_of_page(request, village)
    month = services.parse_month(request.GET.get("month", "")) or guards.today().replace(day=1)
    errors: dict[str, str] = {}
    failed_term = None
    status = 200
    if request.method == "POST":
        term = get_for_view(Term.objects.all(), request.user, pk=int_or_none(request.POST.get("term")))
        if term.seat.village_id != division.code:
            raise Http404
        try:
            month = _save_posted(request, term, month)
            return redirect(_village_url(division.code, month))
        except ValidationError as invalid:
            errors = errors_by_field(invalid)
            failed_term = term.pk
            status = 422
    items = services.score_items(division.code)
    rows = _village_page_rows(request.user, division, month, items)
    return list_page(
        request,
        "assessments/incumbents.html",
        division,
        month=month,
        month_key=f"{month:%Y-%m}",
        rows=rows,
        items=items,
        can_score=request.user.can_edit,
        errors=errors,
        failed_term=failed_term,
        posted=request.POST if status == 422 else {},
        year=month.year,
        status=status,
    )


def _batch_entries(post, terms: list[Term], items) -> list[services.BatchEntry]:
    """The rows of the batch form that were filled in (a row left wholly blank is not scored now)."""
    entries = []
    for term in terms:
        scores = {item.pk: post.get(f"score_{term.pk}_{item.pk}", "").strip() for item in items}
        note = post.get(f"note_{term.pk}", "").strip()
        if any(scores.values()) or note:
            entries.append(services.BatchEntry(term, {k: (v or None) for k, v in scores.items()}, note))
    return entries


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def batch(request, village: str):
    """批量录入: the month's scores of every incumbent of the village not yet scored, in one form; saved all
    or nothing."""
    require_reader(request)
    division = village_of_page(request, village, change=True)
    month = services.parse_month(request.GET.get("month", "")) or guards.today().replace(day=1)
    items = services.score_items(division.code)
    terms = [row.term for row in services.village_rows(request.user, division, month) if row.score is None]
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            saved = services.record_monthly_scores_batch(
                actor=request.user,
                division=division,
                month=month,
                entries=_batch_entries(request.POST, terms, items),
            )
        except ValidationError as invalid:
            errors = errors_by_field(invalid)
        else:
            messages.success(request, _("Monthly scores saved: %(count)d.") % {"count": len(saved)})
            return redirect(_village_url(division.code, month))
    failed = {int(key.split(":")[0]) for key in errors if ":" in key}
    # The attendance and satisfaction items pre-filled (duty, surveys) until the clerk posts his own figures.
    suggested = _suggestions(terms, month, items) if request.method != "POST" else {}
    rows = [
        {
            "term": term,
            "failed": term.pk in failed,
            "cells": [
                (
                    item,
                    request.POST.get(
                        f"score_{term.pk}_{item.pk}", suggested.get(term.pk, {}).get(item.pk, "")
                    ),
                )
                for item in items
            ],
            "note": request.POST.get(f"note_{term.pk}", ""),
        }
        for term in terms
    ]
    return list_page(
        request,
        "assessments/incumbent_batch.html",
        division,
        month=month,
        month_key=f"{month:%Y-%m}",
        items=items,
        rows=rows,
        errors=errors,
        status=422 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def score_edit(request, pk: int):
    """Correct a monthly score on the items it was scored on (the county may have changed its items since)."""
    score = selectors.get_score(request.user, pk)
    guards.require_editor(request.user)
    values = {f"score_{entry['item']}": entry["score"] for entry in score.items}
    note = score.note
    errors: dict[str, str] = {}
    version = versioning.PageVersion(request, score)
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        note = request.POST.get("note", "")
        try:
            with versioning.saving(version, MonthlyScore, pk=score.pk):
                services.update_monthly_score(
                    actor=request.user,
                    score=score,
                    scores={entry["item"]: values[f"score_{entry['item']}"] for entry in score.items},
                    note=note,
                )
        except ValidationError as invalid:
            errors = errors_by_field(invalid)
        else:
            messages.success(request, _("The monthly score was saved."))
            return redirect(_village_url(score.term.seat.village_id, score.month))
    fields = [
        {
            "name": f"score_{entry['item']}",
            "label": entry["name"],
            "points": entry["points"],
            "value": values[f"score_{entry['item']}"],
            "error": errors.get(f"score_{entry['item']}", ""),
        }
        for entry in score.items
    ]
    village = score.term.seat.village
    return errors_page(
        request,
        "assessments/incumbent_score_form.html",
        errors,
        [field["name"] for field in fields] + ["note"],
        village=village,
        score=score,
        version=version,
        fields=fields,
        note=note,
        back=_village_url(village.code, score.month),
    )


@require_POST
@announces_fired_rules
def score_delete(request, pk: int):
    score = selectors.get_score(request.user, pk)
    back = _village_url(score.term.seat.village_id, score.month)
    services.delete_monthly_score(actor=request.user, score=score)
    messages.success(request, _("The monthly score was deleted."))
    return redirect(back)


# -- 双述双评 ------------------------------------------------------------------------------------------------


def year_from_query(request) -> int | None:
    year = int_or_none(request.GET.get("year"))
    return year if year is not None and 2000 <= year <= 2999 else None


@require_GET
def review_list(request):
    division = reader_division(request)
    year = year_from_query(request)
    listing = lists.ANNUAL_REVIEWS.page(
        request, selectors.annual_reviews(request.user, under=division_code(division), year=year)
    )
    return list_page(
        request,
        "assessments/incumbent_reviews.html",
        division,
        year=year,
        listing=listing,
        reviews=listing.rows,
        can_edit=request.user.can_edit,
        bulk_actions=lists.export_selected(request.user.can_edit, "assessments:incumbent-reviews-export"),
    )


@require_http_methods(["GET", "POST"])
def review_edit(request, pk: int):
    review = selectors.get_review(request.user, pk)
    guards.require_editor(request.user)
    values = {name: getattr(review, name) for name in REVIEW_FIELDS}
    values["reviewed_on"] = review.reviewed_on.isoformat()
    errors: dict[str, str] = {}
    version = versioning.PageVersion(request, review)
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in REVIEW_FIELDS}
        try:
            with versioning.saving(version, AnnualReview, pk=review.pk):
                review = services.update_annual_review(
                    actor=request.user, review=review, data=_review_input(values)
                )
        except ValidationError as invalid:
            errors = errors_by_field(invalid)
        else:
            messages.success(request, _("The annual review was saved."))
            return redirect(_reviews_url(review.term.seat.village_id, review.year))
    village = review.term.seat.village
    return errors_page(
        request,
        "assessments/incumbent_review_form.html",
        errors,
        REVIEW_FIELDS,
        village=village,
        review=review,
        version=version,
        values=values,
        back=_reviews_url(village.code, review.year),
    )


def _reviews_url(village_code: str, year: int) -> str:
    return (
        reverse("assessments:incumbent-reviews")
        + "?"
        + urlencode({"division": village_code[:9], "year": year})
    )


@require_POST
def review_delete(request, pk: int):
    review = selectors.get_review(request.user, pk)
    back = _reviews_url(review.term.seat.village_id, review.year)
    services.delete_annual_review(actor=request.user, review=review)
    messages.success(request, _("The annual review was deleted."))
    return redirect(back)


# -- adjustment proposals ----------------------------------------------------------------------------------


@require_GET
def proposal_list(request):
    division = reader_division(request)
    state = state_from_query(request)
    listing = lists.ADJUSTMENT_PROPOSALS.page(
        request,
        selectors.adjustment_proposals(
            request.user, state=None if state == "all" else state, under=division_code(division)
        ),
    )
    return list_page(
        request,
        "assessments/incumbent_proposals.html",
        division,
        listing=listing,
        proposals=listing.rows,
        state=state,
        states=[(value, name) for value, name in ADJUSTMENT_STATE_NAMES.items()] + [("all", _("All"))],
    )


@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    """The proposal, its basis and the scores of the streak; editors confirm (the term ends on the date
    given, reason 调整) or reject it with a reason."""
    proposal = selectors.get_adjustment(request.user, pk)
    require_reader(request)
    errors: dict[str, str] = {}
    failed = ""
    posted = {}
    if request.method == "POST":
        guards.require_editor(request.user)
        action = request.POST.get("action")
        posted = request.POST
        try:
            if action == "confirm":
                incumbent_rules.confirm_adjustment(
                    actor=request.user,
                    proposal=proposal,
                    on=date_or_none(request.POST.get("on")),
                    note=request.POST.get("note", ""),
                )
            elif action == "reject":
                incumbent_rules.reject_adjustment(
                    actor=request.user, proposal=proposal, reason=request.POST.get("reason", "")
                )
            else:
                return HttpResponseBadRequest("请选择确认或驳回", content_type="text/plain; charset=utf-8")
        except ValidationError as invalid:
            errors, failed = errors_by_field(invalid), action
            if "end" in errors:  # the term's own rule on its end date (posts.services.end_term)
                errors["on"] = "；".join(filter(None, [errors.get("on"), errors.pop("end")]))
        else:
            messages.success(request, _("Saved."))
            return redirect("assessments:incumbent-proposal-detail", pk=proposal.pk)
    return errors_page(
        request,
        "assessments/incumbent_proposal_detail.html",
        errors,
        ["on", "note", "reason"],
        village=proposal.term.seat.village,
        proposal=proposal,
        scores=selectors.streak_scores(proposal),
        can_decide=request.user.can_edit and proposal.state == ProposalState.PENDING,
        failed=failed,
        posted=posted,
        today=guards.today(),
    )


# -- 半年研判: the half-year analysis ------------------------------------------------------------------------


@require_GET
def analysis(request):
    division, period = reader_period(request, halves_only=True)
    months = selectors.half_year_months(period)
    current = guards.today().replace(day=1)
    # The Excel round trip of monthly scores works on a township or a village: offered for the latest month
    # of the half-year that has begun.
    scores_excel = (
        request.user.can_edit and division is not None and division.level in (Level.TOWNSHIP, Level.VILLAGE)
    )
    listing = lists.ANALYSIS.page(
        request, selectors.half_year_analysis(request.user, period, division_code(division))
    )
    return period_list_page(
        request,
        "assessments/incumbent_analysis.html",
        division,
        period,
        listing,
        halves_only=True,
        months=months,
        rows=listing.rows,
        can_export=request.user.can_edit,
        bulk_actions=lists.export_selected(request.user.can_edit, "assessments:incumbent-analysis-export"),
        scores_excel=scores_excel,
        excel_month=max([month for month in months if month <= current], default=months[0]),
    )
