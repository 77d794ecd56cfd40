"""A small 花马池镇 world with hand-counted figures on D = 2021-04-19 (tests/test_stats_*.py).

Reserves (village index: V0 = 640323100200, V1 = …201, ...):

| who | born       | age on D | sex | education (on D)  | status | village, target posts | pool dates            |
|-----|------------|----------|-----|-------------------|--------|-----------------------|-----------------------|
| A   | 1986-04-19 | 35 (birthday on D) | 男 | 21 | 01 | V0 secretary + chair | in 2020-06-01 |
| B   | 1986-04-20 | 34       | 女  | 61                | 13     | V1 secretary          | in 2020-04-19 (D − 1 year: not in the flow) |
| C   | 1971-04-19 | 50 exactly | 男 | 31               | 01     | V1 chair              | in 2020-04-20         |
| D   | 1970-04-19 | 51       | 男  | 71                | 13     | V2 secretary          | in 2019-01-01         |
| E   | 1988-02-29 | 33       | 女  | 33                | 03     | V3 secretary assistant | in 2020-10-01        |
| I   | 1980-06-15 | 40       | 男  | 61 (21 after D)   | 02     | V4 secretary          | in 2020-06-01, out 2021-04-20 |
| J   | 1975-01-10 | 46       | 女  | 41                | 13 (01 after D) | V4 chair     | in 2019-06-01         |
| F   | 1985-05-05 |          | 男  | 21                | 01     | V5 secretary + chair  | in 2019-05-01, removed 2021-03-01 |
| G   | 1983-03-03 |          | 男  | 21                | 01     | V6 secretary + chair  | in 2019-05-01, promoted 2021-04-19 |
| H   | 1992-02-02 |          | 女  | 21                | 01     | V7 secretary + chair  | in 2021-05-01         |
| L   | 1990-01-01 |          | 男  | 21                | 01     | 大水坑镇 secretary      | in 2020-01-01         |
| K   | 1990-03-03 |          | 男  | 61                | 13     | no candidacy          |                       |

I's records were typed in on 2020-01-01 (history moved back), J's today: both changed after D.
Secretaries: S1 (1965-03-01, 21) V0 since 2018-01-12, also chair of V0 (一肩挑); S4 (1978-08-08, 31) V1 since
2021-01-10; S2 (1980-01-01) V2 from 2021-05-01 (after D); S3 (1960-01-01) V3 2018-01-12 → 2021-01-10.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from yanzhen.candidacies.models import Candidacy, CandidacyState, CandidacyTarget, Readiness
from yanzhen.people.codes import EducationKind
from yanzhen.people.models import EducationRecord, Person, Source
from yanzhen.people.services import EducationInput, PersonInput, update_person
from yanzhen.posts.models import PostType, Seat, Term

from .factories import make_person

D = date(2021, 4, 19)
TOWNSHIP = "640323100"
V = [f"640323100{200 + index}" for index in range(8)]
DASHUIKENG_VILLAGE = "640323101200"
HUAMACHI_VILLAGES = 23  # 村委会 of 花马池镇 in the seed data

# Hand-counted figures of 花马池镇 on D.
EXPECTED_RESERVES = {
    "total": 7,
    "villages": 23,
    "per_village": 0.30,
    "age": {
        "under_35": {"count": 2, "pct": 28.57},
        "35_to_50": {"count": 4, "pct": 57.14},
        "over_50": {"count": 1, "pct": 14.29},
        "average": 41.3,
    },
    "education": {
        "college_or_above": {"count": 3, "pct": 42.86},
        "secondary_or_below": {"count": 4, "pct": 57.14},
        "unknown": {"count": 0, "pct": 0.0},
    },
    "gender": {"male": {"count": 4, "pct": 57.14}, "female": {"count": 3, "pct": 42.86}},
}


@dataclass
class World:
    people: dict[str, Person]
    candidacies: dict[str, Candidacy]


def _person(actor, letter, born, sex_odd, education, status, village, source=None) -> Person:
    return make_person(
        f"测试{letter}",
        village,
        born=born,
        actor=actor,
        status=status,
        education=education,
        source=source,
        sequence=100 + ord(letter) * 2 + (1 if sex_odd else 0),
    )


def _candidacy(person, village, posts, entered, promoted=None, removed=None, readiness=Readiness.READY):
    if promoted:
        state = CandidacyState.PROMOTED
    elif removed and removed <= timezone.localdate():
        state = CandidacyState.REMOVED
    else:
        state = CandidacyState.IN_POOL
    candidacy = Candidacy.objects.create(
        person=person,
        village_id=village,
        state=state,
        nomination_way="masses",
        nominated_on=date(entered.year - 1, 12, 1) if entered.month == 1 else entered.replace(day=1),
        entered_pool_on=entered,
        promoted_on=promoted,
        removed_on=removed,
        readiness=readiness,
    )
    for code in posts:
        CandidacyTarget.objects.create(
            candidacy=candidacy,
            person=person,
            village_id=village,
            post_type=PostType.objects.get(code=code),
            active=state == CandidacyState.IN_POOL,
        )
    return candidacy


def _move_history_back(person: Person, when: datetime) -> None:
    """As if the records had been typed in on `when`."""
    Person.history.filter(id=person.pk).update(history_date=when)
    EducationRecord.history.filter(person_id=person.pk).update(history_date=when)


def _term(person, village, post, start, end=None):
    seat, _ = Seat.objects.get_or_create(
        village_id=village, post_type=PostType.objects.get(code=post), number=1
    )
    return Term.objects.create(seat=seat, person=person, start=start, end=end)


def build(actor) -> World:
    rich = Source.objects.filter(name="致富带头人").first()
    people: dict[str, Person] = {}
    spec = {
        "A": (date(1986, 4, 19), True, "21", "01", V[0], rich),
        "B": (date(1986, 4, 20), False, "61", "13", V[1], None),
        "C": (date(1971, 4, 19), True, "31", "01", V[1], rich),
        "D": (date(1970, 4, 19), True, "71", "13", V[2], None),
        "E": (date(1988, 2, 29), False, "33", "03", V[3], None),
        "I": (date(1980, 6, 15), True, "61", "02", V[4], None),
        "J": (date(1975, 1, 10), False, "41", "13", V[4], None),
        "F": (date(1985, 5, 5), True, "21", "01", V[5], None),
        "G": (date(1983, 3, 3), True, "21", "01", V[6], None),
        "H": (date(1992, 2, 2), False, "21", "01", V[7], None),
        "L": (date(1990, 1, 1), True, "21", "01", DASHUIKENG_VILLAGE, None),
        "K": (date(1990, 3, 3), True, "61", "13", V[0], None),
        "S1": (date(1965, 3, 1), True, "21", "01", V[0], None),
        "S2": (date(1980, 1, 1), True, "61", "01", V[2], None),
        "S3": (date(1960, 1, 1), True, "71", "01", V[3], None),
        "S4": (date(1978, 8, 8), True, "31", "01", V[1], None),
    }
    for index, (key, (born, male, education, status, village, source)) in enumerate(spec.items()):
        people[key] = _person(actor, chr(ord("a") + index), born, male, education, status, village, source)
    candidacies = {
        "A": _candidacy(people["A"], V[0], ["secretary", "chair"], date(2020, 6, 1)),
        "B": _candidacy(people["B"], V[1], ["secretary"], date(2020, 4, 19)),
        "C": _candidacy(people["C"], V[1], ["chair"], date(2020, 4, 20)),
        "D": _candidacy(people["D"], V[2], ["secretary"], date(2019, 1, 1)),
        "E": _candidacy(people["E"], V[3], ["secretary_assistant"], date(2020, 10, 1)),
        "I": _candidacy(people["I"], V[4], ["secretary"], date(2020, 6, 1), removed=date(2021, 4, 20)),
        "J": _candidacy(people["J"], V[4], ["chair"], date(2019, 6, 1)),
        "F": _candidacy(
            people["F"], V[5], ["secretary", "chair"], date(2019, 5, 1), removed=date(2021, 3, 1)
        ),
        "G": _candidacy(people["G"], V[6], ["secretary", "chair"], date(2019, 5, 1), promoted=D),
        "H": _candidacy(people["H"], V[7], ["secretary", "chair"], date(2021, 5, 1)),
        "L": _candidacy(people["L"], DASHUIKENG_VILLAGE, ["secretary"], date(2020, 1, 1)),
    }
    # Later changes: I's records were typed in before D and changed today; J's typed in and changed today.
    _move_history_back(people["I"], timezone.make_aware(datetime(2020, 1, 1, 10, 0)))
    for key, education, status in (("I", "21", "02"), ("J", "41", "01")):
        person = Person.objects.get(pk=people[key].pk)
        people[key] = update_person(
            actor=actor,
            person=person,
            data=PersonInput(
                name=person.name,
                id_number="",
                phone=None,
                village=person.village,
                political_status=status,
                educations=[EducationInput(kind=EducationKind.FULL_TIME, education=education)],
            ),
        )
    _term(people["S1"], V[0], "secretary", date(2018, 1, 12))
    _term(people["S1"], V[0], "chair", date(2018, 1, 12))
    _term(people["S4"], V[1], "secretary", date(2021, 1, 10))
    _term(people["S2"], V[2], "secretary", date(2021, 5, 1))
    _term(people["S3"], V[3], "secretary", date(2018, 1, 12), end=date(2021, 1, 10))
    return World(people, candidacies)


def build_for_county() -> World:
    """`build` by the county administrator, for the tests that share the world (conftest `shared_mark`)."""
    from yanzhen.accounts.models import User

    return build(User.objects.get(username="county"))
