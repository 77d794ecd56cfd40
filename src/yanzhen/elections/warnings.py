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

from datetime import date

from django.db.models import F

from yanzhen.core.guards import operator_scope, today
from yanzhen.divisions.models import Division
from yanzhen.elections.models import Candidate, CandidateStatus, Election, Result, ReviewDepartment
from yanzhen.elections.report import COMMITTEE, get_election, member, states_on
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


def _warnings(user, election: Election, on: date) -> dict:
    villages_qs = (
        operator_scope(Division.objects, user)
        .under(election.county_id)
        .administrative_villages()
        .order_by("code")
    )
    names = dict(villages_qs.values_list("code", "name"))
    done = set(
        operator_scope(Result.objects, user)
        .filter(election=election, village_id__in=villages_qs.values("code"))
        .values_list("village_id", flat=True)
        .distinct()
    )
    horizon = months_after(on, election.warning_months)

    sitting = (
        operator_scope(Term.objects, user)
        .current(on)
        .filter(COMMITTEE, seat__village_id__in=villages_qs.values("code"))
        .select_related("person", "seat__post_type")
        .order_by("seat__village_id", "seat__post_type__order", "seat__number", "start")
    )
    terms = list(sitting)
    ending = []
    committees: dict[str, dict[int, set[str]]] = {}
    for term in terms:
        village = term.seat.village_id
        committees.setdefault(village, {}).setdefault(term.person_id, set()).add(term.seat.post_type.code)
        end = expected_end(term.start, election.term_years)
        if end <= horizon and village not in done:
            ending.append(
                {
                    "village": village,
                    "village_name": names.get(village, village),
                    "person": term.person.name,
                    "post": term.seat.post_type.name,
                    "start": term.start.isoformat(),
                    "expected_end": end.isoformat(),
                    "overdue": end <= on,
                }
            )

    departments = ReviewDepartment.objects.count()
    candidates = (
        operator_scope(Candidate.objects, user)
        .filter(election=election, status=CandidateStatus.PROPOSED, village_id__in=villages_qs.values("code"))
        .exclude(village_id__in=done)
        .select_related("post_type")
        .prefetch_related("replies")
    )
    slates: dict[str, dict[int, set[str]]] = {}
    for candidate in candidates:
        if review_state(candidate, departments) == ReviewState.FAILED:
            continue  # cannot stand
        posts = {candidate.post_type.code} | ({CHAIR} if candidate.also_chair else set())
        slates.setdefault(candidate.village_id, {}).setdefault(candidate.person_id, set()).update(posts)
    no_secretary = [
        {"village": code, "village_name": name}
        for code, name in names.items()
        if code not in done and not any(SECRETARY in p for p in slates.get(code, {}).values())
    ]

    people = {p for slate in slates.values() for p in slate}
    people |= {p for code in slates for p in committees.get(code, {})}
    states = {}
    if people:
        states = states_on(Person.objects.filter(pk__in=people).values(person_id=F("pk")), on)
    slate_misses = []
    for code in sorted(slates):
        slate = [member(p, posts, states[p]) for p, posts in sorted(slates[code].items())]
        before = [member(p, posts, states[p]) for p, posts in sorted(committees.get(code, {}).items())]
        for miss in village_misses(election, slate, before):
            slate_misses.append(
                {
                    "village": code,
                    "village_name": names.get(code, code),
                    "target": miss.target,
                    "detail": miss.detail,
                }
            )
    return {
        "election": election.pk,
        "on": on.isoformat(),
        "warning_months": election.warning_months,
        "terms_ending": ending,
        "no_secretary_candidate": no_secretary,
        "slate_misses": slate_misses,
    }
