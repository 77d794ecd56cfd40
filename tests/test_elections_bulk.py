"""The results of many villages in one call (`record_many_results`) write exactly what recording each village
alone (`record_results`) writes: the same terms ended and opened, the same history rows naming the actor, the
same pipeline events and targets for the reserves used, the same results and handovers; and one bad village
among many writes nothing at all."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from yanzhen.candidacies.models import Candidacy, CandidacyEvent, CandidacyState, CandidacyTarget
from yanzhen.core.api_errors import Conflict
from yanzhen.elections import services
from yanzhen.elections.models import Handover, Result, SlateNotice
from yanzhen.posts.models import Term

from . import elections_support as es
from .candidacies_support import candidacy_in, user, village
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db

VILLAGES = (HUAMACHI_VILLAGE, DASHUIKENG_VILLAGE)


def _village_ready(election, code: str, tag: str) -> tuple:
    """A committee sitting since 2021 (secretary, chair, two members), a reserve in the pool standing for
    secretary and chair (一肩挑), a member standing again and a newcomer; all passed, the slate publicised."""
    s = es.seats(code, member=2)
    old_secretary = make_person(f"老书记{tag}", code, born=es.date(1960, 1, 1))
    old_chair = make_person(f"老主任{tag}", code)
    again = make_person(f"连任{tag}", code, female=True)
    leaving = make_person(f"离任委员{tag}", code)
    es.sit(s["secretary"][0], old_secretary)
    es.sit(s["chair"][0], old_chair)
    es.sit(s["member"][0], again)
    es.sit(s["member"][1], leaving)
    reserve = candidacy_in(CandidacyState.IN_POOL, make_person(f"储备{tag}", code))
    newcomer = make_person(f"新人{tag}", code)
    candidates = [
        es.propose(election, reserve.person, also_chair=True, code=code),
        es.propose(election, again, "member", code=code),
        es.propose(election, newcomer, "member", code=code),
    ]
    for candidate in candidates:
        es.review(candidate)
    es.publicise(election, code)
    entries = [
        services.Elected(s["member"][1], newcomer, 120),
        services.Elected(s["chair"][0], reserve.person),
        services.Elected(s["secretary"][0], reserve.person, 300),
        services.Elected(s["member"][0], again, 250),
    ]
    return village(code), es.ELECTED_ON, entries


def _scenario() -> list[tuple]:
    election = es.open_election()
    villages = [_village_ready(election, code, str(n)) for n, code in enumerate(VILLAGES)]
    es.voting(election)
    return [election, villages]


def _term(term_id: int | None) -> tuple | None:
    if term_id is None:
        return None
    term = Term.objects.select_related("seat", "person").get(pk=term_id)
    return (term.seat_id, term.person.name, term.start, term.end)


def _sorted(rows) -> list:
    return sorted(rows, key=repr)


def _footprint() -> dict:
    """Everything the results write, without the ids that differ from one run to another."""
    return {
        "terms": _sorted(
            Term.objects.values_list("seat_id", "person__name", "start", "end", "end_reason", "end_note")
        ),
        "term_history": _sorted(
            Term.history.values_list(
                "seat_id",
                "person__name",
                "start",
                "end",
                "end_reason",
                "end_note",
                "history_type",
                "history_user",
            )
        ),
        "candidacies": _sorted(
            (c.person.name, c.state, c.promoted_on, _term(c.term_id))
            for c in Candidacy.objects.select_related("person")
        ),
        "candidacy_history": _sorted(
            (h.person.name, h.state, h.promoted_on, _term(h.term_id), h.history_type, h.history_user_id)
            for h in Candidacy.history.select_related("person")
        ),
        "events": _sorted(
            (
                e.candidacy.person.name,
                e.from_state,
                e.to_state,
                e.actor_id,
                e.on,
                e.summary,
                e.note,
                {**e.data, "term": _term(e.data.get("term"))},
            )
            for e in CandidacyEvent.objects.select_related("candidacy__person")
        ),
        "targets": _sorted(CandidacyTarget.objects.values_list("person__name", "post_type__code", "active")),
        "results": _sorted(
            (r.village_id, r.seat_id, r.person.name, r.candidate_id, r.elected_on, r.votes, _term(r.term_id))
            + (r.created_by_id,)
            for r in Result.objects.select_related("person")
        ),
        "result_history": _sorted(
            Result.history.values_list(
                "village_id", "seat_id", "person_id", "candidate_id", "votes", "history_type", "history_user"
            )
        ),
        "handovers": _sorted(
            (h.village_id, h.person.name, _term(h.term_id), h.audit_done)
            for h in Handover.objects.select_related("person")
        ),
        "handover_history": _sorted(
            Handover.history.values_list("village_id", "person_id", "history_type", "history_user")
        ),
    }


def _rolled_back(write) -> dict:
    """What `write` leaves, then undone."""
    with transaction.atomic():
        write()
        found = _footprint()
        transaction.set_rollback(True)
    return found


def test_many_villages_write_what_each_village_alone_writes():
    election, villages = _scenario()
    county = user("county")

    def one_by_one():
        for place, on, entries in villages:
            services.record_results(
                actor=county, election=election, village=place, elected_on=on, entries=entries
            )

    alone = _rolled_back(one_by_one)
    together = _rolled_back(
        lambda: services.record_many_results(actor=county, election=election, villages=villages)
    )
    assert together == alone
    # And what is written is what the election means, with the actor on every history row.
    assert len(alone["results"]) == 8 and len(alone["handovers"]) == 4
    assert {row[-1] for row in alone["term_history"] if row[3] is not None} == {county.pk}
    ended = [row for row in alone["terms"] if row[4] == "election"]
    assert len(ended) == 8 and {row[3] for row in ended} == {es.ELECTED_ON}
    assert [row[1:3] for row in alone["candidacies"] if row[1] == CandidacyState.PROMOTED] == [
        (CandidacyState.PROMOTED, es.ELECTED_ON)
    ] * 2
    promoted = [event for event in alone["events"] if event[2] == CandidacyState.PROMOTED]
    assert len(promoted) == 2 and {event[3] for event in promoted} == {county.pk}
    assert all(event[5].startswith("使用：任") and event[6] == "第12届换届当选" for event in promoted)
    assert {row[-1] for row in alone["result_history"]} == {county.pk}
    assert {row[-1] for row in alone["handover_history"]} == {county.pk}
    assert not [row for row in alone["targets"] if row[0].startswith("储备") and row[2]]


def test_the_batch_runs_a_constant_number_of_queries(django_assert_max_num_queries):
    election, villages = _scenario()
    with django_assert_max_num_queries(70):
        services.record_many_results(actor=user("county"), election=election, villages=villages)
    assert Result.objects.count() == 8


def test_one_bad_village_among_many_writes_nothing():
    election, villages = _scenario()
    place, on, entries = villages[1]
    stranger = make_person("外人", DASHUIKENG_VILLAGE)
    bad = [*entries, services.Elected(entries[0].seat, stranger)]
    before = _footprint()
    with pytest.raises(ValidationError) as refused:
        services.record_many_results(
            actor=user("county"), election=election, villages=[villages[0], (place, on, bad)]
        )
    assert list(refused.value.message_dict) == [place.name]
    assert any("填写了两次" in message for message in refused.value.message_dict[place.name])
    assert _footprint() == before
    assert not Result.objects.exists() and not Handover.objects.exists()


def test_each_bad_village_is_named_with_its_own_messages():
    election, villages = _scenario()
    (first, on, _entries), (second, _on, _second_entries) = villages
    with pytest.raises(ValidationError) as refused:
        services.record_many_results(
            actor=user("county"), election=election, villages=[villages[0], (second, on, []), villages[0]]
        )
    errors = refused.value.message_dict
    assert list(errors) == [second.name, first.name]
    assert errors[second.name] == [f"请至少填写{second.name}一个职位的当选人"]
    # The first village is good the first time; the second time it is already recorded (a conflict).
    assert errors[first.name] == [f"{first.name}的选举结果已经录入"]
    assert not Result.objects.exists()


def _refusal(call) -> dict | str:
    """The messages of a refusal: by field (422) or the conflict's (409); nothing is left written."""
    before = _footprint()
    try:
        call()
    except ValidationError as invalid:
        found: dict | str = invalid.message_dict
    except Conflict as conflict:
        found = str(conflict)
    else:
        raise AssertionError("not refused")
    assert _footprint() == before
    return found


CHANGES = {
    # A sitting term that starts on the election day: 409.
    "late_term": (
        lambda s: Term.objects.filter(seat=s[0], end__isnull=True).update(start=es.ELECTED_ON),
        "409",
    ),
    # A closed term of the reserve's seat ending after the election day: the pipeline's check (seat).
    "occupied_promote": (
        lambda s: Term.objects.filter(seat=s[2], end__isnull=True).update(
            end=es.date(2026, 10, 1), end_reason="other"
        ),
        {"seat": ["该职位现任老书记0的任期尚未结束，请先结束任期或办理交接"]},
    ),
    # The same for a plain appointment: the posts' check (start).
    "occupied_appoint": (
        lambda s: Term.objects.filter(seat=s[0], end__isnull=True).update(
            end=es.date(2026, 10, 1), end_reason="other"
        ),
        {"start": ["任职开始日期不能早于上一任期的结束日期 2026-10-01"]},
    ),
    # The reserve's last step after the election day: the pipeline's date check.
    "reserve_step_late": (
        lambda s: CandidacyEvent.objects.filter(candidacy__person__name="储备0").update(
            on=es.date(2026, 10, 1)
        ),
        {"on": ["日期 2026-09-26 不能早于上一步的日期 2026-10-01"]},
    ),
    "no_notice": (lambda s: SlateNotice.objects.filter(village_id=HUAMACHI_VILLAGE).delete(), "409"),
}


@pytest.mark.parametrize("case", sorted(CHANGES))
def test_a_village_alone_and_among_many_is_refused_with_the_same_messages(case):
    election, villages = _scenario()
    (place, on, entries), other = villages
    change, expected = CHANGES[case]
    change([entry.seat for entry in entries])
    county = user("county")
    alone = _refusal(
        lambda: services.record_results(
            actor=county, election=election, village=place, elected_on=on, entries=entries
        )
    )
    among = _refusal(
        lambda: services.record_many_results(actor=county, election=election, villages=[other, villages[0]])
    )
    if expected == "409":
        assert isinstance(alone, str)
        assert among == {place.name: [alone]}
    else:
        assert alone == expected
        assert among == {place.name: [message for messages in alone.values() for message in messages]}
