"""The demo county's 2026 村"两委"换届 in progress (issue 16 §6): what a clerk of 盐池县 finds on the election
pages today.

The committees of the demo were elected in January 2021 (`people`: the 第十一届), so this is the 第十二届
(`NUMBER`). Relative to `today`, like `present`:

- The plan (筹备): the period starts on the first working day on or after `STARTED_DAYS` before today and
  runs four months; the national guidance's targets (the model's defaults), warnings six months ahead.
- Slates in every 村委会, proposed a week after the start, for every seat of the committee (书记, 主任,
  副书记, 委员): the village's reserves in the pool first (可随时使用 or 重点培养 before the others, then by
  their matching score, the score stored on the candidate), the sitting members standing again, and for most
  villages (`ONE_SHOULDER_PER_MILLE`) the secretary's candidate standing for the chair too (一肩挑). A
  sitting secretary aged `RETIRING_AGE` or more steps down for a reserve who meets the secretary's rules;
  members' slates have one candidate more than seats where the people allow (差额). The candidates are
  written in bulk (some 560, each checked as `services.propose` checks it, with their history).
- The joint review (资格联审): every department replies on every candidate within two weeks; `FAILED`
  candidates get a 不通过 from one department (a negative-list item and the reason) and are withdrawn; all
  others pass. The replies are written in bulk (some 8,000, each checked by `services.reply_errors`, with
  their history): through the service they would take a minute.
- Every slate publicised (公示, the county's working days): the two `RESULT_TOWNSHIPS` first, the others two
  weeks later; the election then moves to 选举中.
- Results in the two townships, a township at a time through `services.record_many_results` (terms of the
  old committee end with reason 换届, the new ones open, elected reserves are used through the pipeline,
  outgoing secretaries and chairs owe a handover, about half of which are done); the other townships'
  results are pending.

The two townships are neither those of the incumbents' monthly scores (`incumbents.TOWNSHIPS`: their scores
of the last six months stay on terms held all along) nor 花马池镇 (its reserves' 公示 is in progress). Every
step but the slates and the replies goes through `elections.services` with the demo administrator as the
actor; the whole takes some eight seconds.
Deterministic for a given day (`random.Random` seeded per part); idempotent: nothing is done while the
county has an election of that number.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from yanzhen.candidacies.models import Candidacy, CandidacyState, NegativeListItem, Readiness
from yanzhen.candidacies.rules import check_secretary_rules, earliest_notice_end, rules_for, working_days
from yanzhen.core import guards
from yanzhen.cultivation.services import add_months
from yanzhen.demo.people import DEMO_ADMIN, DEMO_COUNTY
from yanzhen.divisions.models import Division
from yanzhen.elections import services
from yanzhen.elections.models import (
    Candidate,
    CandidateOrigin,
    CandidateStatus,
    Election,
    ElectionState,
    Handover,
    ReviewDepartment,
    ReviewReply,
)
from yanzhen.elections.rules import CHAIR, SECRETARY, committee_post_codes
from yanzhen.matching.demand import demands_for
from yanzhen.matching.pool import load_pool, villages_of
from yanzhen.matching.scoring import Target, score, weights_for
from yanzhen.people.codes import PARTY_MEMBER_STATUSES
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType, Seat, Term

SEED = 6403232026_12
NUMBER = 12  # 第十二届: the demo's committees are the 第十一届 of 2021
STARTED_DAYS = 84  # the period began about twelve weeks before today
PERIOD_MONTHS = 4
RESULT_TOWNSHIPS = ("640323102", "640323203")  # 惠安堡镇, 麻黄山乡
RETIRING_AGE = 57  # a sitting secretary this old on the day of the slate steps down
STANDING_AGE = 60  # sitting members this old do not stand again
ONE_SHOULDER_PER_MILLE = 900
NEW_SECRETARY_PER_MILLE = 150  # of the younger sitting secretaries, replaced by a reserve ready now
FAILED = (  # (department, negative-list item index, reason): one 不通过 each
    ("公安", 0, "2015年因寻衅滋事被判处有期徒刑一年，缓刑一年"),
    ("法院", 3, "被人民法院列为失信被执行人，尚未履行"),
    ("纪委监委", 2, "2024年受到党内警告处分，影响期未满"),
    ("农业农村局", 7, "违规占用耕地建房，拒不整改"),
    ("信访局", 6, "多次组织煽动群众越级上访，扰乱信访秩序"),
)
HANDOVER_DONE_PER_MILLE = 550


def _rng(part: str) -> random.Random:
    return random.Random(f"{SEED}-{part}")


def _working_day(day: date) -> date:
    while not working_days(day, day):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Dates:
    starts_on: date
    ends_on: date
    proposed_on: date
    replies_from: date  # replies come in from this day ...
    replies_to: date  # ... to this one
    withdrawn_on: date
    first_notice: date  # the result townships' 公示
    second_notice: date  # the others'


def election_dates(today: date) -> Dates:
    """The election's days, relative to today (all on or before it but the period's end)."""
    starts_on = _working_day(today - timedelta(days=STARTED_DAYS))
    proposed_on = _working_day(starts_on + timedelta(days=7))
    replies_to = proposed_on + timedelta(days=14)
    withdrawn_on = _working_day(replies_to + timedelta(days=2))
    first_notice = _working_day(withdrawn_on + timedelta(days=3))
    return Dates(
        starts_on=starts_on,
        ends_on=add_months(starts_on, PERIOD_MONTHS) - timedelta(days=1),
        proposed_on=proposed_on,
        replies_from=proposed_on + timedelta(days=3),
        replies_to=replies_to,
        withdrawn_on=withdrawn_on,
        first_notice=first_notice,
        second_notice=_working_day(first_notice + timedelta(days=14)),
    )


# --- The slates ----------------------------------------------------------------------------------------------


@dataclass
class Pick:
    """One planned candidate."""

    person: Person
    post: str
    origin: str
    candidacy: Candidacy | None = None
    also_chair: bool = False
    score: int | None = None


@dataclass
class Slate:
    village: Division
    seats: dict[str, list[Seat]]  # post code → the village's seats of it, by number
    picks: list[Pick] = field(default_factory=list)

    def members(self) -> list[Pick]:
        return [pick for pick in self.picks if pick.post == "member"]


@dataclass
class Reserve:
    candidacy: Candidacy
    targets: frozenset[str]
    score: int = 0

    @property
    def first(self) -> bool:
        """可随时使用 or 重点培养: put forward before the others."""
        return self.candidacy.readiness == Readiness.READY or self.candidacy.key_cultivation

    @property
    def person(self) -> Person:
        return self.candidacy.person


def _reserves(actor, on: date) -> dict[str, list[Reserve]]:
    """Each village's reserves in the pool on the day, ready-now and key cultivation first, then by their
    matching score for the village (the matching app's score, with the village's demand)."""
    candidacies = (
        Candidacy.objects.in_pool_on(on)
        .filter(state=CandidacyState.IN_POOL, village__code__startswith=DEMO_COUNTY)
        .select_related("person", "village")
        .prefetch_related("targets__post_type")
        .order_by("village_id", "person_id", "id")
    )
    places = villages_of(DEMO_COUNTY)
    demands = demands_for(actor, list(places.values()), on, prefix=DEMO_COUNTY)
    weights = weights_for(DEMO_COUNTY)
    scored = {reserve.person_id: reserve for reserve in load_pool(actor, within=DEMO_COUNTY, on=on)}
    found: dict[str, list[Reserve]] = defaultdict(list)
    seen: set[int] = set()
    for candidacy in candidacies:
        if candidacy.person_id in seen:
            continue
        seen.add(candidacy.person_id)
        targets = frozenset(target.post_type.code for target in candidacy.targets.all())
        reserve = Reserve(candidacy, targets)
        place, pooled = places.get(candidacy.village_id), scored.get(candidacy.person_id)
        if place is not None and pooled is not None:
            target = Target(place, demands[place.code], post_code="member", post_name="两委委员")
            reserve.score = score(pooled, target, places.get(pooled.village_code), weights).total
        found[candidacy.village_id].append(reserve)
    for reserves in found.values():
        reserves.sort(key=lambda r: (not r.first, -r.score, r.person.pk))
    return found


def _sitting(on: date) -> dict[str, dict[str, list[Person]]]:
    """Each village's sitting committee on the day: post code → holders, by seat number."""
    sitting: dict[str, dict[str, list[Person]]] = defaultdict(lambda: defaultdict(list))
    terms = (
        Term.objects.current(on)
        .filter(seat__village__code__startswith=DEMO_COUNTY, seat__post_type__code__in=committee_post_codes())
        .select_related("person", "seat__post_type")
        .order_by("seat__village_id", "seat__number", "id")
    )
    for term in terms:
        sitting[term.seat.village_id][term.seat.post_type.code].append(term.person)
    return sitting


def _seats(villages: list[Division]) -> dict[str, dict[str, list[Seat]]]:
    seats: dict[str, dict[str, list[Seat]]] = defaultdict(lambda: defaultdict(list))
    for seat in (
        Seat.objects.filter(village__in=villages, post_type__code__in=committee_post_codes())
        .select_related("post_type", "village")
        .order_by("village_id", "post_type__order", "number")
    ):
        seats[seat.village_id][seat.post_type.code].append(seat)
    return seats


class _SlatePlanner:
    """The slate of one village, seat by seat (see the module's docstring)."""

    def __init__(self, village: Division, seats, sitting, reserves: list[Reserve], on: date):
        self.slate = Slate(village, seats)
        self.seats, self.sitting, self.pool, self.on = seats, sitting, list(reserves), on
        self.rules = rules_for(village)
        self.taken: set[int] = set()
        self.incumbents = {person.pk for holders in sitting.values() for person in holders}
        self.old_secretary = next(iter(sitting.get("secretary", [])), None)
        self.old_chair = next(iter(sitting.get("chair", [])), None)

    def age(self, person: Person) -> int:
        return person.age(self.on) or 0

    def stands(self, person: Person | None) -> bool:
        return person is not None and person.pk not in self.taken and self.age(person) < STANDING_AGE

    def take(self, person: Person, post: str, *, also_chair: bool = False) -> None:
        self.taken.add(person.pk)
        reserve = next((r for r in self.pool if r.person.pk == person.pk), None)
        if reserve is not None:
            origin = CandidateOrigin.POOL
        elif person.pk in self.incumbents:
            origin = CandidateOrigin.INCUMBENT
        else:
            origin = CandidateOrigin.ARCHIVE
        self.slate.picks.append(
            Pick(
                person,
                post,
                origin,
                candidacy=reserve.candidacy if reserve else None,
                also_chair=also_chair,
                score=reserve.score if reserve else None,
            )
        )

    def fits(self, reserve: Reserve, post: str, *, party: bool, ready: bool) -> bool:
        person = reserve.person
        if person.pk in self.taken or (ready and not reserve.first):
            return False
        if post == SECRETARY:
            return SECRETARY in reserve.targets and not check_secretary_rules(self.rules, person, self.on)
        if post == CHAIR:
            return bool(reserve.targets & {SECRETARY, CHAIR})
        return not party or person.political_status in PARTY_MEMBER_STATUSES

    def reserve_for(self, post: str, *, party: bool = False, ready: bool = False) -> Person | None:
        return next((r.person for r in self.pool if self.fits(r, post, party=party, ready=ready)), None)

    def secretary(self, rng: random.Random) -> bool:
        """The secretary (the sitting one stands again unless he retires or a reserve ready now takes over);
        whether he stands for the chair too (一肩挑)."""
        old = self.old_secretary
        retiring = old is None or self.age(old) >= RETIRING_AGE
        chosen = None
        if retiring or rng.randrange(1000) < NEW_SECRETARY_PER_MILLE:
            chosen = self.reserve_for(SECRETARY, ready=not retiring)
        if chosen is None and old is not None and self.age(old) < STANDING_AGE + 3:
            chosen = old
        one_shoulder = (old is not None and old == self.old_chair and chosen == old) or rng.randrange(
            1000
        ) < ONE_SHOULDER_PER_MILLE
        if chosen is None or not self.seats.get("secretary"):
            return False
        self.take(chosen, SECRETARY, also_chair=one_shoulder and bool(self.seats.get("chair")))
        return one_shoulder

    def chair(self) -> None:
        chair = self.old_chair if self.stands(self.old_chair) else self.reserve_for(CHAIR)
        if chair is not None and self.seats.get("chair"):
            self.take(chair, CHAIR)

    def deputy(self) -> None:
        if not self.seats.get("deputy_secretary"):
            return
        for deputy in self.sitting.get("deputy_secretary", []):
            if self.stands(deputy):
                self.take(deputy, "deputy_secretary")
        if not any(p.post == "deputy_secretary" for p in self.slate.picks):
            deputy = self.reserve_for("deputy_secretary", party=True)
            if deputy is not None:
                self.take(deputy, "deputy_secretary")

    def members(self) -> None:
        """Reserves first (those ready now or in key cultivation, then up to half the seats), then the sitting
        members and a chair the one-shoulder secretary displaced, then any reserve; one more than seats."""
        wanted = len(self.seats.get("member", []))
        first = [r.person for r in self.pool if r.first and r.person.pk not in self.taken]
        later = [r.person for r in self.pool if not r.first and r.person.pk not in self.taken]
        sitting = self.sitting.get("member", []) + ([self.old_chair] if self.old_chair else [])
        again = [p for p in sitting if self.stands(p)]
        order = first[:wanted] + later[: max(0, (wanted + 1) // 2 - len(first))] + again + later + first
        for person in order:
            if len(self.slate.members()) > wanted:
                break
            if person.pk not in self.taken and self.age(person) < STANDING_AGE:
                self.take(person, "member")


def plan_slate(
    village: Division, seats, sitting, reserves: list[Reserve], on: date, rng: random.Random
) -> Slate:
    """Who stands for which seat of the village (see the module's docstring)."""
    planner = _SlatePlanner(village, seats, sitting, reserves, on)
    if not planner.secretary(rng):
        planner.chair()
    planner.deputy()
    if planner.seats.get("member"):
        planner.members()
    return planner.slate


def _propose(actor, election: Election, slates: list[Slate], on: date) -> dict[int, Candidate]:
    """The slates' candidates, written in bulk with their history (through `services.propose` they take ten
    seconds), each checked as it checks them: a 村委会, a 两委 post, 一肩挑 only for the secretary, not after
    today, nobody twice in the county; the origin as `services.origin_of` finds it (the reserve's candidacy
    in the pool for the village, or a sitting member of its committee)."""
    posts = {post.code: post for post in PostType.objects.filter(code__in=committee_post_codes())}
    candidates, seen = [], set()
    for slate in slates:
        for pick in slate.picks:
            assert slate.village.is_administrative_village and pick.post in posts and on <= guards.today()
            assert pick.person.pk not in seen and (not pick.also_chair or pick.post == SECRETARY)
            seen.add(pick.person.pk)
            candidate = Candidate(
                election=election,
                village=slate.village,
                person=pick.person,
                post_type=posts[pick.post],
                also_chair=pick.also_chair,
                origin=pick.origin,
                candidacy=pick.candidacy,
                match_score=None if pick.score is None else Decimal(pick.score).quantize(Decimal("0.01")),
                proposed_on=on,
                created_by=actor,
            )
            candidate.full_clean(
                exclude=["election", "village", "person", "post_type", "candidacy", "created_by"],
                validate_unique=False,
                validate_constraints=False,  # the database keeps one standing candidacy per person and post
            )
            candidates.append(candidate)
    created = bulk_create_with_history(candidates, Candidate, default_user=actor, batch_size=1000)
    return {candidate.pk: candidate for candidate in created}


# --- The joint review ------------------------------------------------------------------------------------------


def _failing(slates: list[Slate], candidates: dict[int, Candidate], rng: random.Random) -> list[Candidate]:
    """The candidates given a 不通过: members of villages with more member candidates than seats (so the
    slate still fills them), one a village, in different townships where possible."""
    by_person = {(c.village_id, c.person_id): c for c in candidates.values()}
    spare = [s for s in slates if len(s.members()) > len(s.seats.get("member", []))]
    rng.shuffle(spare)
    spare.sort(key=lambda s: s.village.code[:9] in RESULT_TOWNSHIPS)  # the pending townships first
    chosen: list[Candidate] = []
    townships: set[str] = set()
    for slate in spare:
        if len(chosen) == len(FAILED):
            break
        township = slate.village.code[:9]
        if township in townships and len(townships) < 6:
            continue
        townships.add(township)
        chosen.append(by_person[(slate.village.code, rng.choice(slate.members()).person.pk)])
    return chosen


def build_review(actor, candidates: list[Candidate], failing: list[Candidate], dates: Dates) -> int:
    """Every department's reply on every candidate (written in bulk, each checked as `record_reply` checks
    it); the failing candidates' 不通过 with the reason and its negative-list item."""
    rng = _rng("replies")
    departments = {d.name: d for d in ReviewDepartment.objects.all()}
    items = list(NegativeListItem.objects.order_by("order", "id"))
    failed = {c.pk: spec for c, spec in zip(failing, FAILED, strict=False)}
    span = (dates.replies_to - dates.replies_from).days
    replies, negative = [], []
    for candidate in sorted(candidates, key=lambda c: c.pk):
        for department in departments.values():
            spec = failed.get(candidate.pk)
            passed = spec is None or spec[0] != department.name
            reason = "" if spec is None or passed else spec[2]
            replied_on = dates.replies_from + timedelta(days=rng.randint(0, span))
            guards.raise_errors(services.reply_errors(candidate, passed, reason, replied_on))
            reply = ReviewReply(
                candidate=candidate,
                department=department,
                passed=passed,
                reason=reason,
                replied_on=replied_on,
                created_by=actor,
            )
            replies.append(reply)
            if spec is not None and not passed and items:
                negative.append((reply, items[spec[1] % len(items)]))
    bulk_create_with_history(replies, ReviewReply, default_user=actor, batch_size=1000)
    for reply, item in negative:
        reply.negative_items.add(item)
    return len(replies)


# --- Results ---------------------------------------------------------------------------------------------------


def _entries(slate: Slate, standing: list[Candidate], rng: random.Random) -> list[services.Elected]:
    """The seats filled by the slate: the secretary (and chair, 一肩挑), the chair, the deputy, and the
    members with the most votes (the one more than seats loses)."""
    entries = []
    electorate = rng.randint(700, 2400)
    by_post: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in standing:
        by_post[candidate.post_type.code].append(candidate)

    def votes() -> int:
        return rng.randint(electorate * 55 // 100, electorate * 92 // 100)

    for code in ("secretary", "chair", "deputy_secretary"):
        for seat, candidate in zip(slate.seats.get(code, []), by_post.get(code, []), strict=False):
            entries.append(services.Elected(seat, candidate.person, votes()))
            if candidate.also_chair and slate.seats.get("chair"):
                entries.append(services.Elected(slate.seats["chair"][0], candidate.person, votes()))
    members = sorted(((votes(), c) for c in by_post.get("member", [])), key=lambda pair: -pair[0])
    for seat, (count, candidate) in zip(slate.seats.get("member", []), members, strict=False):
        entries.append(services.Elected(seat, candidate.person, count))
    return entries


def build_results(actor, election: Election, slates: list[Slate], notices: dict[str, date], today: date):
    """The result townships' results, a township in one go; about half the handovers done since."""
    rng = _rng("results")
    standing: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in (
        Candidate.objects.filter(election=election, status=CandidateStatus.PROPOSED)
        .select_related("person", "post_type")
        .order_by("village_id", "id")
    ):
        standing[candidate.village_id].append(candidate)
    recorded = []
    for township in RESULT_TOWNSHIPS:
        rows = []
        for slate in slates:
            if slate.village.code[:9] != township:
                continue
            elected_on = min(notices[slate.village.code] + timedelta(days=rng.randint(5, 12)), today)
            entries = _entries(slate, standing[slate.village.code], rng)
            rows.append((slate.village, elected_on, entries))
        recorded += services.record_many_results(actor=actor, election=election, villages=rows)
    handovers = 0
    for handover in Handover.objects.filter(election=election).select_related("term").order_by("pk"):
        if rng.randrange(1000) >= HANDOVER_DONE_PER_MILLE:
            continue
        ended = handover.term.end
        assert ended is not None  # a handover is owed for a term the election ended
        on = min(ended + timedelta(days=rng.randint(7, 25)), today)
        services.update_handover(actor=actor, handover=handover, audit_done=True, handed_over_on=on)
        handovers += 1
    return recorded, handovers


# --- The whole -------------------------------------------------------------------------------------------------


EMPTY = {
    "elections": 0,
    "candidates": 0,
    "replies": 0,
    "withdrawn": 0,
    "notices": 0,
    "results": 0,
    "handovers": 0,
    "handovers_done": 0,
}


@transaction.atomic
def build_election(actor=None, today: date | None = None) -> dict[str, int]:
    """The county's election in progress on `today` (default: the server's today); what was created."""
    if actor is None:
        from yanzhen.accounts.models import User

        actor = User.objects.get(username=DEMO_ADMIN)
    today = today or timezone.localdate()
    county = Division.objects.get(code=DEMO_COUNTY)
    if Election.objects.filter(county=county, number=NUMBER).exists():
        return dict(EMPTY)
    dates = election_dates(today)
    election = services.create_election(
        actor=actor,
        county=county,
        number=NUMBER,
        starts_on=dates.starts_on,
        ends_on=dates.ends_on,
        note="按照自治区统一部署，村党组织和村民委员会同步换届，书记、主任“一肩挑”",
    )
    villages = list(
        Division.objects.under(DEMO_COUNTY)
        .administrative_villages()
        .select_related("parent")
        .order_by("code")
    )
    on = dates.proposed_on
    seats, sitting, reserves = _seats(villages), _sitting(on), _reserves(actor, on)
    rng = _rng("slates")
    slates = [
        plan_slate(v, seats[v.code], sitting.get(v.code, {}), reserves.get(v.code, []), on, rng)
        for v in villages
    ]
    candidates = _propose(actor, election, slates, on)
    failing = _failing(slates, candidates, _rng("failing"))
    replies = build_review(actor, list(candidates.values()), failing, dates)
    for candidate, (department, _item, reason) in zip(failing, FAILED, strict=False):
        services.withdraw(
            actor=actor,
            candidate=candidate,
            reason=f"资格联审不通过（{department}：{reason}）",
            on=dates.withdrawn_on,
        )
    needed = rules_for(county).notice_working_days
    notices: dict[str, date] = {}
    for slate in slates:
        if not slate.picks:
            continue
        start = dates.first_notice if slate.village.code[:9] in RESULT_TOWNSHIPS else dates.second_notice
        end = earliest_notice_end(start, needed)
        services.publicise_slate(actor=actor, election=election, village=slate.village, start=start, end=end)
        notices[slate.village.code] = end
    election = services.advance(actor=actor, election=election, to=ElectionState.VOTING)
    results, done = build_results(actor, election, slates, notices, today)
    return {
        "elections": 1,
        "candidates": len(candidates),
        "replies": replies,
        "withdrawn": len(failing),
        "notices": len(notices),
        "results": len(results),
        "handovers": Handover.objects.filter(election=election).count(),
        "handovers_done": done,
    }
