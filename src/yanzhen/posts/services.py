"""Writes to the village posts: seats, appointments, ends of terms, handovers, post types.

Every function takes the acting user, checks his jurisdiction (outside it: Http404, as if the seat did not
exist) and his role (a reader: PermissionDenied), validates before writing (ValidationError with Chinese
messages keyed by field; nothing is written then), runs in one transaction and leaves history naming him.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from yanzhen.accounts.roles import Role
from yanzhen.core.guards import attribute_to, raise_errors, require_editor
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person, age_on
from yanzhen.posts.models import PostType, Seat, Term, TermEndReason

MAXIMUM_SEATS = 20
MINIMUM_AGE = 18


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


def _validate_appointment(actor, seat: Seat, person: Person, start: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not Person.objects.restrict(actor).filter(pk=person.pk).exists():
        return {"person": "所选人员不存在或不在您的辖区内"}
    current = open_term(seat)
    if current is not None:
        errors["seat"] = f"该职位现任{current.person.name}的任期尚未结束，请先结束任期或办理交接"
    if start is None:
        errors["start"] = "请填写任职开始日期"
        return errors
    last_end = (
        Term.objects.filter(seat=seat, end__isnull=False)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    if last_end is not None and start < last_end:
        errors["start"] = f"任职开始日期不能早于上一任期的结束日期 {last_end:%Y-%m-%d}"
    age = age_on(person.birth_date, start)
    if age is not None and age < MINIMUM_AGE:
        errors["person"] = f"{person.name}在 {start:%Y-%m-%d} 未满 {MINIMUM_AGE} 周岁，不能任职"
    elif (
        Term.objects.filter(person=person, seat__village=seat.village, seat__post_type=seat.post_type)
        .filter(end__isnull=True)
        .exists()
    ):
        errors["person"] = f"{person.name}已担任本村{seat.post_type.name}，同一人不能占两个同类职位"
    return errors


@transaction.atomic
def appoint(*, actor, seat: Seat, person: Person, start: date) -> Term:
    """Start a term of a person in a vacant seat. The same person may hold other posts of the village
    (一肩挑: the secretary also chairs the villagers' committee)."""
    _check_actor(actor, seat.village)
    seat = Seat.objects.select_for_update().select_related("village", "post_type").get(pk=seat.pk)
    errors = _validate_appointment(actor, seat, person, start)
    raise_errors(errors)
    term = Term(seat=seat, person=person, start=start)
    _save(term, actor)
    return term


@transaction.atomic
def end_term(*, actor, term: Term, end: date, reason: str, note: str = "") -> Term:
    """End a term: `end` is the first day the person no longer holds the seat."""
    _check_actor(actor, term.seat.village)
    term = Term.objects.select_for_update().select_related("seat", "person").get(pk=term.pk)
    errors: dict[str, str] = {}
    if term.end is not None:
        errors["term"] = f"该任期已于 {term.end:%Y-%m-%d} 结束"
    if end is None:
        errors["end"] = "请填写任期结束日期"
    elif end <= term.start:
        errors["end"] = f"任期结束日期须晚于开始日期 {term.start:%Y-%m-%d}"
    if reason not in TermEndReason.values:
        errors["reason"] = "请选择任期结束的原因（换届、辞职、调整、免职、去世或其他）"
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = "说明不能超过 200 字"
    raise_errors(errors)
    term.end, term.end_reason, term.end_note = end, reason, note
    _save(term, actor)
    return term


@transaction.atomic
def handover(*, actor, seat: Seat, person: Person, on: date, reason: str, note: str = "") -> Term:
    """交接: end the seat's open term on `on` and start the successor's term on the same day."""
    _check_actor(actor, seat.village)
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    current = open_term(seat)
    if current is not None:
        if current.person_id == person.pk:
            raise ValidationError({"person": f"{person.name}已是该职位的现任，无需交接"})
        end_term(actor=actor, term=current, end=on, reason=reason, note=note)
    return appoint(actor=actor, seat=seat, person=person, start=on)


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
