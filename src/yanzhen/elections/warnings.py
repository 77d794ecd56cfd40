"""The warnings before an election (issue 16 §1), as the user sees them:

- terms_ending: the sitting committee's terms (stats' committee, current on the day) whose expected end —
  the term's start plus the election's term_years — falls within election.warning_months of the day, or has
  passed already (`overdue`: a committee sitting beyond its term is the most urgent case);
- no_secretary_candidate: villages without results that have no standing candidate for the secretary's
  seat (a candidate standing = proposed, not withdrawn, and not failed by the joint review);
- slate_misses: villages without results whose standing candidates, read as one committee (rules.Member on
  the day), miss a village-level target against the committee sitting on the day (rules.village_misses).

`election_warnings(user, election, on=None)` returns a dict of three lists (the report page shows it through
templates/elections/_warnings.html). Every query is restricted to the user (None: the operator); an
election the user cannot see answers 404. A fixed number of queries, none per village.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, QuerySet

from yanzhen.core.guards import today
from yanzhen.divisions.models import Division
from yanzhen.elections.models import Candidate, CandidateStatus, Election, Result, ReviewDepartment
from yanzhen.elections.report import COMMITTEE, get_election, member, scoped, states_on
from yanzhen.elections.rules import CHAIR, SECRETARY, ReviewState, review_state, village_misses
from yanzhen.people.models import Person
from yanzhen.people.selectors import years_before
from yanzhen.posts.models import Term
from yanzhen.stats.states import tuned


def months_after(on: date, months: int) -> date:
    """The same day `months` later (the last day of a shorter month)."""
    month = on.month - 1 + months
    year, month = on.year + month // 12, month % 12 + 1
    for day in (on.day, 30, 29, 28):
        try:
            return on.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def expected_end(start: date, years: int) -> date:
    return years_before(start, -years)


def election_warnings(user, election: Election, on: date | None = None) -> dict:
    if user is not None:
        election = get_election(user, election.pk)
    on = on or today()
    with tuned():
        return _warnings(user, election, on)


@dataclass
class Context:
    """What the three lists share: the villages seen, those with results, the day."""

    user: object
    election: Election
    on: date
    villages: QuerySet
    names: dict[str, str]
    done: set[str]


def _warnings(user, election: Election, on: date) -> dict:
    villages_qs = (
        scoped(Division.objects.all(), user)
        .under(election.county_id)
        .administrative_villages()
        .order_by("code")
    )
    done = set(
        scoped(Result.objects.all(), user)
        .filter(election=election, village_id__in=villages_qs.values("code"))
        .values_list("village_id", flat=True)
        .distinct()
    )
    context = Context(user, election, on, villages_qs, dict(villages_qs.values_list("code", "name")), done)
    ending, committees = _terms_ending(context)
    slates = _slates(context)
    no_secretary = [
        {"village": code, "village_name": name}
        for code, name in context.names.items()
        if code not in done and not any(SECRETARY in posts for posts in slates.get(code, {}).values())
    ]
    return {
        "election": election.pk,
        "on": on.isoformat(),
        "warning_months": election.warning_months,
        "terms_ending": ending,
        "no_secretary_candidate": no_secretary,
        "slate_misses": _slate_misses(context, slates, committees),
    }


Committees = dict[str, dict[int, set[str]]]  # village: {person: his posts}


def _terms_ending(context: Context) -> tuple[list[dict], Committees]:
    """The sitting terms whose expected end falls within the warning months, and the sitting committees."""
    election, on = context.election, context.on
    horizon = months_after(on, election.warning_months)
    sitting = (
        scoped(Term.objects.all(), context.user)
        .current(on)
        .filter(COMMITTEE, seat__village_id__in=context.villages.values("code"))
        .select_related("person", "seat__post_type")
        .order_by("seat__village_id", "seat__post_type__order", "seat__number", "start")
    )
    ending = []
    committees: Committees = {}
    for term in sitting:
        village = term.seat.village_id
        committees.setdefault(village, {}).setdefault(term.person_id, set()).add(term.seat.post_type.code)
        end = expected_end(term.start, election.term_years)
        if end <= horizon and village not in context.done:
            ending.append(
                {
                    "village": village,
                    "village_name": context.names.get(village, village),
                    "person": term.person.name,
                    "post": term.seat.post_type.name,
                    "start": term.start.isoformat(),
                    "expected_end": end.isoformat(),
                    "overdue": end <= on,
                }
            )
    return ending, committees


def _slates(context: Context) -> Committees:
    """The standing candidates of the villages without results, as committees (一肩挑: both posts)."""
    departments = ReviewDepartment.objects.count()
    candidates = (
        scoped(Candidate.objects.all(), context.user)
        .filter(
            election=context.election,
            status=CandidateStatus.PROPOSED,
            village_id__in=context.villages.values("code"),
        )
        .exclude(village_id__in=context.done)
        .select_related("post_type")
        .prefetch_related("replies")
    )
    slates: Committees = {}
    for candidate in candidates:
        if review_state(candidate, departments) == ReviewState.FAILED:
            continue  # cannot stand
        posts = {candidate.post_type.code} | ({CHAIR} if candidate.also_chair else set())
        slates.setdefault(candidate.village_id, {}).setdefault(candidate.person_id, set()).update(posts)
    return slates


def _slate_misses(context: Context, slates: Committees, committees: Committees) -> list[dict]:
    """The village targets each slate misses against the committee sitting on the day."""
    people = {p for slate in slates.values() for p in slate}
    people |= {p for code in slates for p in committees.get(code, {})}
    if not people:
        return []
    states = states_on(Person.objects.filter(pk__in=people).values(person_id=F("pk")), context.on)
    found = []
    for code in sorted(slates):
        slate = [member(p, posts, states[p]) for p, posts in sorted(slates[code].items())]
        before = [member(p, posts, states[p]) for p, posts in sorted(committees.get(code, {}).items())]
        found += [
            {
                "village": code,
                "village_name": context.names.get(code, code),
                "target": miss.target,
                "detail": miss.detail,
            }
            for miss in village_misses(context.election, slate, before)
        ]
    return found
