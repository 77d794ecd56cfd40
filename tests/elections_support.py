"""Shared helpers of the election tests: a county's election with fixed dates in 2026, a village committee
sitting since 2021, candidates driven through the joint review and the slate's notice."""

from __future__ import annotations

from datetime import date

from yanzhen.divisions.models import Division
from yanzhen.elections import services
from yanzhen.elections.models import Candidate, Election, ElectionState, ReviewDepartment
from yanzhen.people.models import Person
from yanzhen.posts import services as post_services
from yanzhen.posts.models import PostType, Seat

from .candidacies_support import post, user, village
from .conftest import HUAMACHI_VILLAGE

STARTS_ON = date(2026, 9, 1)
ENDS_ON = date(2026, 11, 30)
PROPOSED_ON = date(2026, 9, 1)
REPLIED_ON = date(2026, 9, 10)
NOTICE_START = date(2026, 9, 14)  # Monday
NOTICE_END = date(2026, 9, 18)  # Friday: five working days
ELECTED_ON = date(2026, 9, 26)
SITTING_SINCE = date(2021, 4, 1)


def county() -> Division:
    return Division.objects.get(code="640323")


def open_election(actor: str = "county", **values) -> Election:
    values = {"number": 12, "starts_on": STARTS_ON, "ends_on": ENDS_ON, **values}
    return services.create_election(actor=user(actor), county=county(), **values)


def voting(election: Election) -> Election:
    return services.advance(actor=user("county"), election=election, to=ElectionState.VOTING)


def seats(code: str = HUAMACHI_VILLAGE, **counts: int) -> dict[str, list[Seat]]:
    """The village's seats: one secretary and one chair unless told otherwise."""
    counts = {"secretary": 1, "chair": 1, **counts}
    return {
        name: post_services.ensure_seats(
            actor=user("county"), village=village(code), post_type=post(name), count=n
        )
        for name, n in counts.items()
    }


def sit(seat: Seat, person: Person, start: date = SITTING_SINCE):
    return post_services.appoint(actor=user("county"), seat=seat, person=person, start=start)


def propose(
    election: Election, person: Person, post_code: str = "secretary", *, code=HUAMACHI_VILLAGE, **extra
):
    return services.propose(
        actor=user(extra.pop("actor", "county")),
        election=election,
        village=village(code),
        person=person,
        post_type=post(post_code),
        on=PROPOSED_ON,
        **extra,
    )


def review(candidate: Candidate, *, failed_by: str | None = None, reason: str = "有违法犯罪记录") -> None:
    """Every department replies; `failed_by` (a department's name) says 不通过."""
    for department in ReviewDepartment.objects.all():
        failed = department.name == failed_by
        services.record_reply(
            actor=user("county"),
            candidate=candidate,
            department=department,
            passed=not failed,
            reason=reason if failed else "",
            replied_on=REPLIED_ON,
        )


def publicise(election: Election, code: str = HUAMACHI_VILLAGE):
    return services.publicise_slate(
        actor=user("county"), election=election, village=village(code), start=NOTICE_START, end=NOTICE_END
    )


def post_type(code: str) -> PostType:
    return post(code)
