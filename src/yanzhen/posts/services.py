"""Writes to the village posts: seats, appointments, ends of terms, handovers, post types.

Every function takes the acting user, checks his jurisdiction (outside it: Http404, as if the seat did not
exist) and his role (a reader: PermissionDenied), validates before writing (ValidationError with Chinese
messages keyed by field; nothing is written then), runs in one transaction and leaves history naming him.
`end_terms` and `appoint_many` are the batch forms of `end_term` and `appoint`: the same checks (the
functions `end_term_errors` and `appointment_errors`, on what a `SeatBook` read once), then bulk writes with
their history rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from yanzhen.accounts.roles import Role
from yanzhen.core.guards import attribute_to, raise_errors, require_editor
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.core.text import normalise
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person, age_on
from yanzhen.posts.models import Destination, PostType, Seat, Term, TermEndReason, TermKind

MAXIMUM_SEATS = 20
MINIMUM_AGE = 18
SECRETARY = "secretary"  # the post type code of 村党组织书记, the only one a professional term may hold


def _check_actor(actor, village: Division) -> None:
    if not code_in_jurisdiction(actor, village.code):
        raise Http404
    require_editor(actor)


def _save(instance, actor) -> None:
    attribute_to(instance, actor)
    instance.save()


@transaction.atomic
def ensure_seats(*, actor, village: Division, post_type: PostType, count: int) -> list[Seat]:
    """Make the village have `count` seats of the post type: missing seats are created (numbered 1..count);
    surplus seats are removed only when nobody ever held them."""
    _check_actor(actor, village)
    if not village.is_village:
        raise ValidationError({"village": f"职位只能设在村级单位，{village.name} 不是村级单位"})
    if not 0 <= count <= MAXIMUM_SEATS:
        raise ValidationError({"count": f"职数须在 0 到 {MAXIMUM_SEATS} 之间"})
    seats = {seat.number: seat for seat in Seat.objects.filter(village=village, post_type=post_type)}
    surplus = [seat for number, seat in seats.items() if number > count]
    held = [seat for seat in surplus if seat.terms.exists()]
    if held:
        raise ValidationError(
            {"count": f"{post_type.name} 第 {held[0].number} 个职位有任职记录，不能减少到 {count} 个"}
        )
    for seat in surplus:
        attribute_to(seat, actor)
        seat.delete()
    for number in range(1, count + 1):
        if number not in seats:
            seat = Seat(village=village, post_type=post_type, number=number)
            _save(seat, actor)
            seats[number] = seat
    return [seats[number] for number in range(1, count + 1)]


def open_term(seat: Seat) -> Term | None:
    """The term of the seat that has no end yet (its current or future incumbent)."""
    return Term.objects.select_related("person").filter(seat=seat, end__isnull=True).first()


def appointment_errors(
    seat: Seat,
    person: Person,
    start: date | None,
    *,
    visible: bool,
    holder: Person | None,
    last_end: date | None,
    holds_post: bool,
) -> dict[str, str]:
    """The checks of an appointment on what was read beforehand: the person visible to the actor, the person
    of the seat's open term (its holder), the last end of the seat's closed terms, and whether the person
    already has an open term of the same post in the village."""
    if not visible:
        return {"person": "所选人员不存在或不在您的辖区内"}
    errors: dict[str, str] = {}
    if holder is not None:
        errors["seat"] = f"该职位现任{holder.name}的任期尚未结束，请先结束任期或办理交接"
    if start is None:
        errors["start"] = "请填写任职开始日期"
        return errors
    if last_end is not None and start < last_end:
        errors["start"] = f"任职开始日期不能早于上一任期的结束日期 {last_end:%Y-%m-%d}"
    age = age_on(person.birth_date, start)
    if age is not None and age < MINIMUM_AGE:
        errors["person"] = f"{person.name}在 {start:%Y-%m-%d} 未满 {MINIMUM_AGE} 周岁，不能任职"
    elif holds_post:
        errors["person"] = f"{person.name}已担任本村{seat.post_type.name}，同一人不能占两个同类职位"
    return errors


def _validate_appointment(actor, seat: Seat, person: Person, start: date) -> dict[str, str]:
    if not Person.objects.restrict(actor).filter(pk=person.pk).exists():
        return appointment_errors(
            seat, person, start, visible=False, holder=None, last_end=None, holds_post=False
        )
    current = open_term(seat)
    last_end = (
        Term.objects.filter(seat=seat, end__isnull=False)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    holds_post = (
        Term.objects.filter(person=person, seat__village=seat.village, seat__post_type=seat.post_type)
        .filter(end__isnull=True)
        .exists()
    )
    return appointment_errors(
        seat,
        person,
        start,
        visible=True,
        holder=None if current is None else current.person,
        last_end=last_end,
        holds_post=holds_post,
    )


def kind_errors(seat: Seat, kind: str) -> dict[str, str]:
    """A term's kind: ordinary, or 专业化管理 for a 村党组织书记 seat only."""
    if kind not in TermKind.values:
        return {"kind": "任职类型须为一般或专业化管理"}
    if kind == TermKind.PROFESSIONAL and seat.post_type.code != SECRETARY:
        return {"kind": f"只有村党组织书记可以是专业化管理的村党组织书记，{seat.post_type.name}不能"}
    return {}


@transaction.atomic
def appoint(*, actor, seat: Seat, person: Person, start: date, kind: str = TermKind.ORDINARY) -> Term:
    """Start a term of a person in a vacant seat. The same person may hold other posts of the village
    (一肩挑: the secretary also chairs the villagers' committee). `kind`: 专业化管理 for a secretary managed
    as a professional (seed 001)."""
    _check_actor(actor, seat.village)
    seat = Seat.objects.select_for_update().select_related("village", "post_type").get(pk=seat.pk)
    errors = _validate_appointment(actor, seat, person, start) | kind_errors(seat, kind)
    raise_errors(errors)
    term = Term(seat=seat, person=person, start=start, kind=kind)
    _save(term, actor)
    return term


@transaction.atomic
def set_term_kind(*, actor, term: Term, kind: str) -> Term:
    """Change how a term is held (一般 / 专业化管理); the field history keeps the earlier kind and who changed it."""
    _check_actor(actor, term.seat.village)
    term = (
        Term.objects.select_for_update()
        .select_related("seat__post_type", "seat__village", "person")
        .get(pk=term.pk)
    )
    raise_errors(kind_errors(term.seat, kind))
    if term.kind != kind:
        term.kind = kind
        _save(term, actor)
    return term


def end_term_errors(
    term: Term, end: date | None, reason: str, note: str, destination: str = ""
) -> dict[str, str]:
    """The checks of the end of a term (its row as locked; the note already stripped)."""
    errors: dict[str, str] = {}
    if term.end is not None:
        errors["term"] = f"该任期已于 {term.end:%Y-%m-%d} 结束"
    if end is None:
        errors["end"] = "请填写任期结束日期"
    elif end <= term.start:
        errors["end"] = f"任期结束日期须晚于开始日期 {term.start:%Y-%m-%d}"
    if reason not in TermEndReason.values:
        errors["reason"] = "请选择任期结束的原因（换届、辞职、调整、免职、去世或其他）"
    if len(note) > 200:
        errors["note"] = "说明不能超过 200 字"
    if destination and destination not in Destination.values:
        errors["destination"] = "去向须为乡镇领导班子、事业编制、公务员、专业化管理的村党组织书记或其他"
    return errors


@transaction.atomic
def end_term(*, actor, term: Term, end: date, reason: str, note: str = "", destination: str = "") -> Term:
    """End a term: `end` is the first day the person no longer holds the seat; `destination` where he goes
    (乡镇领导班子, 事业编制 …; blank when none)."""
    _check_actor(actor, term.seat.village)
    term = Term.objects.select_for_update().select_related("seat", "person").get(pk=term.pk)
    note = (note or "").strip()
    raise_errors(end_term_errors(term, end, reason, note, destination))
    term.end, term.end_reason, term.end_note, term.destination = end, reason, note, destination
    _save(term, actor)
    return term


# Batches: the same checks and writes for many seats or terms at once, in a constant number of queries.


@dataclass
class _Held:
    """A term as the checks of a batch see it."""

    person: Person
    start: date
    end: date | None


class SeatBook:
    """What the checks of appointments (and of a reserve's use) read about seats and people, read once for a
    batch, then kept up to date as the batch ends and opens terms, so that each item is checked as if the
    items before it were already written."""

    def __init__(
        self,
        terms: dict[int, list[_Held]],
        last_ends: dict[int, date],
        holding: dict[str, Counter[tuple[int, int]]],
        visible_people: set[int],
    ):
        self.terms, self.last_ends, self.holding, self.visible_people = (
            terms,
            last_ends,
            holding,
            visible_people,
        )

    @classmethod
    def read(
        cls, actor, seat_ids: Iterable[int], people: Iterable[Person], since: date | None = None
    ) -> SeatBook:
        """The open terms of the seats (and those ending after `since`), the last end of their closed terms,
        the people the actor sees, and the posts each person holds in each village. Four queries."""
        seat_ids, person_ids = set(seat_ids), {person.pk for person in people}
        recent = Q(end__isnull=True) if since is None else Q(end__isnull=True) | Q(end__gt=since)
        terms: dict[int, list[_Held]] = defaultdict(list)
        for term in (
            Term.objects.filter(recent, seat_id__in=seat_ids).select_related("person").order_by("-start")
        ):
            terms[term.seat_id].append(_Held(term.person, term.start, term.end))
        last_ends = dict(
            Term.objects.filter(seat_id__in=seat_ids, end__isnull=False)
            .values("seat_id")
            .annotate(last=Max("end"))
            .values_list("seat_id", "last")
        )
        holding: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
        for person_id, village_id, post_type_id in Term.objects.filter(
            end__isnull=True, person_id__in=person_ids
        ).values_list("person_id", "seat__village_id", "seat__post_type_id"):
            holding[village_id][(person_id, post_type_id)] += 1
        visible_people = set(
            Person.objects.restrict(actor).filter(pk__in=person_ids).values_list("pk", flat=True)
        )
        return cls(terms, last_ends, holding, visible_people)

    def fork(self, village_code: str, seat_ids: Iterable[int]) -> SeatBook:
        """A copy of the book for one village's seats, to try a village's changes without touching it."""
        seat_ids = set(seat_ids)
        return SeatBook(
            defaultdict(
                list,
                {pk: [_Held(h.person, h.start, h.end) for h in self.terms.get(pk, [])] for pk in seat_ids},
            ),
            {pk: self.last_ends[pk] for pk in seat_ids if pk in self.last_ends},
            defaultdict(Counter, {village_code: Counter(self.holding.get(village_code, Counter()))}),
            self.visible_people,
        )

    def holder(self, seat_id: int) -> Person | None:
        """The person of the seat's open term."""
        return next((held.person for held in self.terms.get(seat_id, []) if held.end is None), None)

    def occupant(self, seat_id: int, on: date) -> Person | None:
        """The person of the latest term of the seat still held on `on` (open, or ending after it)."""
        return next(
            (held.person for held in self.terms.get(seat_id, []) if held.end is None or held.end > on), None
        )

    def appointment_errors(self, seat: Seat, person: Person, start: date | None) -> dict[str, str]:
        return appointment_errors(
            seat,
            person,
            start,
            visible=person.pk in self.visible_people,
            holder=self.holder(seat.pk),
            last_end=self.last_ends.get(seat.pk),
            holds_post=self.holding[seat.village_id][(person.pk, seat.post_type_id)] > 0,
        )

    def end(self, seat: Seat, end: date) -> None:
        """The seat's open term ends on `end`."""
        for held in self.terms.get(seat.pk, []):
            if held.end is None:
                held.end = end
                self.holding[seat.village_id][(held.person.pk, seat.post_type_id)] -= 1
        previous = self.last_ends.get(seat.pk)
        self.last_ends[seat.pk] = end if previous is None else max(previous, end)

    def start(self, seat: Seat, person: Person, start: date) -> None:
        """A term of the person opens in the seat on `start`."""
        held = self.terms.setdefault(seat.pk, [])
        held.insert(0, _Held(person, start, None))
        held.sort(key=lambda h: h.start, reverse=True)
        self.holding[seat.village_id][(person.pk, seat.post_type_id)] += 1


def _check_villages(actor, codes: Iterable[str]) -> None:
    """Jurisdiction over each village (404), once per village, then the role (403)."""
    for code in dict.fromkeys(codes):
        if not code_in_jurisdiction(actor, code):
            raise Http404
    require_editor(actor)


def lock_seats(seat_ids: Iterable[int]) -> dict[int, Seat]:
    """The seats, with their village and post, locked for the rest of the transaction in one query."""
    return {
        seat.pk: seat
        for seat in Seat.objects.select_for_update()
        .select_related("village", "post_type")
        .filter(pk__in=set(seat_ids))
        .order_by("pk")
    }


@transaction.atomic
def end_terms(*, actor, terms: Sequence[Term], end: date, reason: str, note: str = "") -> list[Term]:
    """`end_term` for many terms at once: the same checks, item by item (the first refused refuses all), then
    one update of the terms and one insert of their history rows naming the actor."""
    if not terms:
        return []
    _check_villages(actor, [term.seat.village_id for term in terms])
    locked = (
        Term.objects.select_for_update().select_related("seat", "person").in_bulk([term.pk for term in terms])
    )
    note = (note or "").strip()
    ended = []
    for term in terms:
        if term.pk not in locked:
            raise Term.DoesNotExist("Term matching query does not exist.")
        row = locked[term.pk]
        raise_errors(end_term_errors(row, end, reason, note))
        row.end, row.end_reason, row.end_note = end, reason, normalise(note)
        ended.append(row)
    # Every term gets the same values: one plain UPDATE (bulk_update's CASE per row is quadratic), then the
    # history rows of the terms as changed.
    Term.objects.filter(pk__in=[term.pk for term in ended]).update(
        end=end, end_reason=reason, end_note=normalise(note)
    )
    bulk_update_with_history(ended, Term, [], default_user=actor)
    return ended


@transaction.atomic
def appoint_many(*, actor, appointments: Sequence[tuple[Seat, Person, date]]) -> list[Term]:
    """`appoint` for many seats at once: the same checks, item by item as if the items before it were already
    written (the first refused refuses all), then one insert of the terms and one of their history rows."""
    if not appointments:
        return []
    _check_villages(actor, [seat.village_id for seat, _person, _start in appointments])
    seats = lock_seats(seat.pk for seat, _person, _start in appointments)
    book = SeatBook.read(actor, seats, [person for _seat, person, _start in appointments])
    terms = []
    for given, person, start in appointments:
        seat = seats[given.pk]
        raise_errors(book.appointment_errors(seat, person, start))
        book.start(seat, person, start)
        term = Term(seat=seat, person=person, start=start)
        attribute_to(term, actor)
        terms.append(term)
    return bulk_create_with_history(terms, Term, default_user=actor)


@transaction.atomic
def handover(
    *, actor, seat: Seat, person: Person, on: date, reason: str, note: str = "", kind: str = TermKind.ORDINARY
) -> Term:
    """交接: end the seat's open term on `on` and start the successor's term (of `kind`) on the same day."""
    _check_actor(actor, seat.village)
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    current = open_term(seat)
    if current is not None:
        if current.person_id == person.pk:
            raise ValidationError({"person": f"{person.name}已是该职位的现任，无需交接"})
        end_term(actor=actor, term=current, end=on, reason=reason, note=note)
    return appoint(actor=actor, seat=seat, person=person, start=on, kind=kind)


# Post types are one list for the whole installation: only an administrator changes them.


def _check_admin(actor) -> None:
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied


@transaction.atomic
def save_post_type(
    *,
    actor,
    post_type: PostType | None = None,
    code: str = "",
    name: str,
    is_key: bool,
    is_practice: bool,
    order: int,
) -> PostType:
    """Create a post type (with its code) or change one (the code stays: other records refer to it)."""
    _check_admin(actor)
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if post_type is None:
        post_type = PostType(code=(code or "").strip())
        if not post_type.code:
            errors["code"] = "请填写代码（字母、数字、下划线）"
        elif PostType.objects.filter(code=post_type.code).exists():
            errors["code"] = f"代码 {post_type.code} 已被使用"
    if not name:
        errors["name"] = "请填写职位名称"
    elif PostType.objects.filter(name=name).exclude(pk=post_type.pk).exists():
        errors["name"] = f"职位名称 {name} 已存在"
    if is_key and is_practice:
        errors["is_practice"] = "实岗锻炼职位不能同时是关键职位"
    raise_errors(errors)
    post_type.name, post_type.is_key, post_type.is_practice, post_type.order = (
        name,
        is_key,
        is_practice,
        order,
    )
    _save(post_type, actor)
    return post_type


@transaction.atomic
def set_village_seats(*, actor, village: Division, counts: dict[PostType, int]) -> None:
    """职数: set how many seats of each post type the village has, all or nothing."""
    errors: dict[str, list[str]] = {}
    for post_type, count in counts.items():
        try:
            ensure_seats(actor=actor, village=village, post_type=post_type, count=count)
        except ValidationError as invalid:
            for message in invalid.message_dict.get("count", invalid.messages):
                errors.setdefault(f"count_{post_type.code}", []).append(message)
    raise_errors(errors)
