"""Incumbents (在职村干部, issue 5 §6): the county's monthly scoring items (月考评, summing to 100), the monthly
score of each term, and the yearly 双述双评 (the cadre's report to the villagers and their rating).

Same order as the reserves' `assessments.services`: jurisdiction first (Http404 outside it, through `Term.objects.restrict`), then the
role (PermissionDenied: only administrators and township clerks write), then the data (ValidationError
with Chinese messages naming the field); a refused call writes nothing; history names the actor.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404

from yanzhen.assessments import rules
from yanzhen.assessments.guards import check_text
from yanzhen.assessments.incumbents import rules as incumbent_rules
from yanzhen.assessments.models import AnnualReview, IncumbentScoreItem, MonthlyScore
from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today
from yanzhen.core.locking import visible_locked
from yanzhen.core.text import normalise, too_long_message
from yanzhen.core.unique import save_unique
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.posts.models import Term

M = TypeVar("M", bound=models.Model)


def _visible_term(actor, term: Term) -> Term:
    found = (
        Term.objects.restrict(actor)
        .select_related("person", "seat__village", "seat__post_type")
        .filter(pk=term.pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def score_items(county_code: str) -> list[IncumbentScoreItem]:
    """The county's items (configuration, not personal data: read by everyone inside the county)."""
    return list(IncumbentScoreItem.objects.filter(county_id=rules.county_code(county_code)))


# -- items -------------------------------------------------------------------------------------------------


def _clean_items(items: list[tuple[str, int]]) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """The items with their names stripped, and what is wrong with them (a name missing, too long or
    repeated, points outside 1–100, a total other than 100)."""
    errors: dict[str, str] = {}
    seen: set[str] = set()
    cleaned: list[tuple[str, int]] = []
    for index, (name, points) in enumerate(items, start=1):
        name = (name or "").strip()
        if not name:
            errors[f"name_{index}"] = f"第 {index} 项：请填写项目名称"
        elif len(name) > 50:
            errors[f"name_{index}"] = f"第 {index} 项：项目名称不能超过 50 字"
        elif name in seen:
            errors[f"name_{index}"] = f"第 {index} 项：项目“{name}”重复"
        seen.add(name)
        if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 100:
            errors[f"points_{index}"] = f"第 {index} 项：分值须为 1 到 100 的整数"
        cleaned.append((name, points))
    if not items:
        errors["items"] = "请至少设置一个考评项目"
    elif not errors and sum(points for _name, points in cleaned) != 100:
        total = sum(points for _name, points in cleaned)
        errors["items"] = f"各考评项目分值合计须为 100 分，现为 {total} 分"
    return cleaned, errors


@transaction.atomic
def save_score_items(*, actor, county: Division, items: list[tuple[str, int]]) -> list[IncumbentScoreItem]:
    """Replace the county's monthly scoring items. Scores already given keep their own copy of the items."""
    if county.level != Level.COUNTY or not rules.county_visible(actor, county.code):
        raise Http404
    if not rules.may_change_settings(actor):
        raise PermissionDenied
    cleaned, errors = _clean_items(items)
    raise_errors(errors)
    for old in IncumbentScoreItem.objects.filter(county=county):
        attribute_to(old, actor)
        old.delete()
    saved = []
    for position, (name, points) in enumerate(cleaned, start=1):
        item = IncumbentScoreItem(county=county, name=name, points=points, position=position)
        attribute_to(item, actor)
        item.save()
        saved.append(item)
    return saved


# -- monthly score -----------------------------------------------------------------------------------------


def parse_month(value: str) -> date | None:
    """ "2024-05" → date(2024, 5, 1); anything else → None."""
    try:
        year, month = (int(part) for part in (value or "").strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def _duplicate_month(term: Term, month: date) -> str:
    return f"{term.person.name}{month:%Y年%m月}的月考评已录入，不能重复录入"


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _item_rows(items: list[dict], scores: dict[int, int | None]) -> tuple[list[dict], dict[str, str]]:
    """Validate one score per item (each within 0..its points); `items` as {"item", "name", "points"}."""
    errors: dict[str, str] = {}
    known = {item["item"] for item in items}
    unknown = sorted(str(key) for key in scores if key not in known)
    if unknown:
        errors["items"] = f"考评项目 {'、'.join(unknown)} 不是本次考评的项目"
    rows = []
    for item in items:
        value = scores.get(item["item"])
        field = f"score_{item['item']}"
        if value is None or value == "":
            errors[field] = f"请填写“{item['name']}”的得分"
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[field] = f"“{item['name']}”的得分须为整数"
            continue
        if not 0 <= value <= item["points"]:
            errors[field] = f"“{item['name']}”的得分须在 0 到 {item['points']} 分之间"
            continue
        rows.append({"item": item["item"], "name": item["name"], "points": item["points"], "score": value})
    return rows, errors


def _clean_note(note: str, errors: dict[str, str]) -> str:
    note = normalise(note or "")
    limit = MonthlyScore._meta.get_field("note").max_length
    if len(note) > limit:
        errors["note"] = too_long_message("备注", limit, len(note))
    return note


@transaction.atomic
def record_monthly_score(
    *, actor, term: Term, month: date, scores: dict[int, int | None], note: str = ""
) -> MonthlyScore:
    """Score one incumbent's term for one month: every item of the county, each within 0..its points.
    The county's rules on monthly grades are evaluated for the term at once."""
    term = _visible_term(actor, term)
    require_editor(actor)
    errors: dict[str, str] = {}
    items = score_items(term.seat.village_id)
    month = month.replace(day=1)
    current = today().replace(day=1)
    if month > current:
        errors["month"] = f"不能为尚未到来的月份（{month:%Y年%m月}）考评"
    elif _month_end(month) < term.start or (term.end is not None and month >= term.end):
        errors["month"] = f"{term.person.name}在{month:%Y年%m月}不在此职务上"
    elif MonthlyScore.objects.filter(term=term, month=month).exists():
        errors["month"] = _duplicate_month(term, month)
    if not items:
        errors["items"] = "本县尚未设置月考评项目，请先由县委组织部设置"
    rows, item_errors = _item_rows(
        [{"item": item.pk, "name": item.name, "points": item.points} for item in items], scores
    )
    errors.update(item_errors)
    note = _clean_note(note, errors)
    raise_errors(errors)
    score = MonthlyScore(
        term=term,
        month=month,
        items=rows,
        total=sum(row["score"] for row in rows),
        note=note,
        scored_by=actor,
    )
    save_unique(score, actor, field="month", message=_duplicate_month(term, month))
    incumbent_rules.evaluate_term(term, actor=actor)
    return score


@dataclass
class BatchEntry:
    """One incumbent's row of a batch: his scores by item id and a note."""

    term: Term
    scores: dict[int, int | str | None]
    note: str = ""


class BatchInvalid(ValidationError):
    """A refused batch. Besides the messages by "<term id>:<field>" (each naming the person), `problems` lists
    (entry, field, message without the person's name) for a caller that locates each problem itself, as the
    xlsx import does by sheet row and column."""

    def __init__(self, errors: dict[str, str], problems: list[tuple[BatchEntry, str, str]]):
        super().__init__(errors)
        self.problems = problems


@transaction.atomic
def record_monthly_scores_batch(
    *,
    actor,
    month: date,
    entries: list[BatchEntry],
    division: Division | None = None,
    village: Division | None = None,
    dry_run: bool = False,
):
    """The monthly scores of a village's or a township's incumbents in one go, all or nothing: every row is
    checked as a single score would be, and one bad row refuses the batch (`BatchInvalid`) with messages
    naming the person and the field. Every term must sit under `division` (`village` is its older name);
    a term elsewhere is not found (404). `dry_run` checks everything, the rules included, and keeps nothing."""
    division = division or village
    if division is None:
        raise TypeError("record_monthly_scores_batch() needs the division")
    if not entries:
        raise ValidationError({"entries": "请至少为一名村干部填写月考评"})
    errors: dict[str, str] = {}
    problems: list[tuple[BatchEntry, str, str]] = []
    saved: list[MonthlyScore] = []
    for entry in entries:
        if not entry.term.seat.village_id.startswith(division.code):
            raise Http404
        try:
            with transaction.atomic():
                saved.append(
                    record_monthly_score(
                        actor=actor,
                        term=entry.term,
                        month=month,
                        scores=entry.scores,  # type: ignore[arg-type]
                        note=entry.note,
                    )
                )
        except ValidationError as invalid:
            who = f"{entry.term.person.name}（{entry.term.seat.post_type.name}）"
            for field, texts in invalid.message_dict.items():
                errors[f"{entry.term.pk}:{field}"] = f"{who}：{'；'.join(texts)}"
                problems.extend((entry, field, text) for text in texts)
    if errors:
        raise BatchInvalid(errors, problems)  # the outer transaction undoes the rows already saved
    if dry_run:
        transaction.set_rollback(True)  # this function's own atomic block: the checked rows are undone
    return saved


def _locked_record(actor, record: M) -> M:
    """A monthly score or a review re-read in the actor's jurisdiction (404 outside it) and locked, with its
    term's person and village; 403 for a reader."""
    found = visible_locked(actor, record, "term__person", "term__seat__village")
    require_editor(actor)
    return found


@transaction.atomic
def update_monthly_score(
    *, actor, score: MonthlyScore, scores: dict[int, int | None], note: str = ""
) -> MonthlyScore:
    """Correct a monthly score: the items stay those it was scored on (the county may have changed its
    items since); the history keeps the previous scores; the rules are evaluated again."""
    score = _locked_record(actor, score)
    errors: dict[str, str] = {}
    rows, item_errors = _item_rows(score.items, scores)
    errors.update(item_errors)
    note = _clean_note(note, errors)
    raise_errors(errors)
    score.items, score.total, score.note = rows, sum(row["score"] for row in rows), note
    attribute_to(score, actor)
    score.save()
    incumbent_rules.evaluate_term(score.term, actor=actor)
    return score


@transaction.atomic
def delete_monthly_score(*, actor, score: MonthlyScore) -> None:
    """Delete a monthly score entered by mistake (the history keeps it); the rules are evaluated again."""
    score = _locked_record(actor, score)
    term = score.term
    attribute_to(score, actor)
    score.delete()
    incumbent_rules.evaluate_term(term, actor=actor)


# -- 双述双评 ------------------------------------------------------------------------------------------------


@dataclass
class ReviewInput:
    year: int
    report_text: str
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    reviewed_on: date


def satisfaction(satisfied: int, basically_satisfied: int, dissatisfied: int) -> Decimal:
    """The share (%) of 满意 and 基本满意 among all ratings, two decimals."""
    total = satisfied + basically_satisfied + dissatisfied
    share = Decimal(100 * (satisfied + basically_satisfied)) / Decimal(total)
    return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _review_year_problem(term: Term, year, existing: AnnualReview | None) -> str:
    """Why a 双述双评 cannot be of this year (not a past or current year, outside the term, already
    recorded), or ""."""
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= today().year:
        return "请填写正确的年份（不能是将来的年份）"
    if date(year, 12, 31) < term.start or (term.end is not None and date(year, 1, 1) >= term.end):
        return f"{term.person.name}在{year}年不在此职务上"
    if AnnualReview.objects.filter(term=term, year=year).exclude(pk=getattr(existing, "pk", None)).exists():
        return _DUPLICATE_YEAR.format(name=term.person.name, year=year)
    return ""


REVIEW_COUNT_LABELS = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}


def _review_counts(errors: dict[str, str], data: ReviewInput) -> dict[str, int]:
    """The three counts of ratings, each a whole number ≥ 0, not all 0."""
    counts = {}
    for field, label in REVIEW_COUNT_LABELS.items():
        value = getattr(data, field)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[field] = f"“{label}”票数须为不小于 0 的整数"
        else:
            counts[field] = value
    if len(counts) == 3 and sum(counts.values()) == 0:
        errors["satisfied"] = "测评票数合计不能为 0"
    return counts


def _review_fields(term: Term, data: ReviewInput, *, existing: AnnualReview | None = None) -> dict:
    """Validate a 双述双评 record; returns the fields to save (ValidationError naming each bad field)."""
    errors: dict[str, str] = {}
    problem = _review_year_problem(term, data.year, existing)
    if problem:
        errors["year"] = problem
    text = (data.report_text or "").strip()
    check_text(errors, "report_text", "述职报告", text)
    counts = _review_counts(errors, data)
    if data.reviewed_on is None or data.reviewed_on > today():
        errors["reviewed_on"] = "请填写评议日期（不能晚于今天）"
    elif data.year and isinstance(data.year, int) and data.reviewed_on.year < data.year:
        errors["reviewed_on"] = f"评议日期不能早于 {data.year} 年"
    raise_errors(errors)
    return {
        "year": data.year,
        "report_text": text,
        "reviewed_on": data.reviewed_on,
        "satisfaction": satisfaction(**counts),
        **counts,
    }


_DUPLICATE_YEAR = "{name}{year}年的双述双评已录入，不能重复录入"


def _save_review(review: AnnualReview, actor, year: int) -> None:
    """Save a review; another one of the term and year saved a moment ago refuses it as a duplicate."""
    message = _DUPLICATE_YEAR.format(name=review.term.person.name, year=year)
    save_unique(review, actor, field="year", message=message)


@transaction.atomic
def record_annual_review(*, actor, term: Term, data: ReviewInput) -> AnnualReview:
    term = _visible_term(actor, term)
    require_editor(actor)
    review = AnnualReview(term=term, recorded_by=actor, **_review_fields(term, data))
    _save_review(review, actor, data.year)
    return review


@transaction.atomic
def update_annual_review(*, actor, review: AnnualReview, data: ReviewInput) -> AnnualReview:
    """Correct a 双述双评 record; the history keeps the previous values."""
    review = _locked_record(actor, review)
    for field, value in _review_fields(review.term, data, existing=review).items():
        setattr(review, field, value)
    _save_review(review, actor, data.year)
    return review


@transaction.atomic
def delete_annual_review(*, actor, review: AnnualReview) -> None:
    review = _locked_record(actor, review)
    attribute_to(review, actor)
    review.delete()


# -- the village page --------------------------------------------------------------------------------------


@dataclass
class IncumbentRow:
    term: Term
    score: MonthlyScore | None


def cells_under(items: list[IncumbentScoreItem], score: MonthlyScore) -> list[int] | None:
    """The score's item scores in the order of the county's current items, or None when the score was given
    on other items (the county changed its items since: the score keeps its own)."""
    given = {entry["item"]: entry["score"] for entry in score.items}
    if set(given) != {item.pk for item in items}:
        return None
    return [given[item.pk] for item in items]


def division_rows(user, division: Division, month: date) -> list[IncumbentRow]:
    """The incumbents holding a seat during the month in the villages under `division` (a village or a
    township), with their score of that month, by village and post."""
    terms = list(
        Term.objects.restrict(user)
        .filter(seat__village__code__startswith=division.code, start__lte=_month_end(month))
        .exclude(end__isnull=False, end__lte=month)
        .select_related("person", "seat__post_type", "seat__village")
        .order_by("seat__village_id", "seat__post_type__order", "seat__number", "start")
    )
    scores = {s.term_id: s for s in MonthlyScore.objects.filter(term__in=terms, month=month)}
    return [IncumbentRow(term, scores.get(term.pk)) for term in terms]


def village_rows(user, village: Division, month: date) -> list[IncumbentRow]:
    """The village's incumbents holding a seat during the month, with their score of that month."""
    return division_rows(user, village, month)
