"""Writing the potential ratings and the calibration sessions (issue 21 §3).

Order of the checks, as everywhere: the record inside the actor's jurisdiction (404 outside), then the role
(403: a reader; a direct rating is the county's, so a township clerk rates only in a calibration session of his
township), then the data (`ValidationError` naming the field, nothing written). Every write leaves a history
row attributed to the actor.

- `rate`: the county rates a reserve in the pool or a sitting village cadre of its jurisdiction (a reason is
  required); a new `PotentialRating` row, the history is the rows.
- `create_session`: the county or the township's clerk opens a calibration session (校准会) of a township,
  held today or before, with its participants.
- `change_in_session`: while the session is open, a rating of a person of the township changes, with a reason;
  the change (before: the rating today, after, reason, who) is recorded with the new rating row, rated on the
  day the change is recorded (a session entered after it was held does not rewrite the days in between).
- `close_session`: locks the session; a closed session refuses changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today
from yanzhen.core.jurisdiction import code_in_jurisdiction, jurisdiction_prefix
from yanzhen.core.locking import visible_locked
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.talent import selectors
from yanzhen.talent.models import CalibrationChange, CalibrationSession, Potential, PotentialRating

REASON_MIN = 2


def is_county_rater(actor) -> bool:
    """A direct rating is the county's: an editor whose jurisdiction is a county or above."""
    prefix = jurisdiction_prefix(actor)
    return bool(actor and actor.can_edit) and prefix is not None and len(prefix) <= CODE_LENGTH[Level.COUNTY]


def _check_rating(rating: str, reason: str, errors: dict[str, str]) -> None:
    if rating not in Potential.values:
        errors["rating"] = "请选择潜力评定：高、中或低"
    if len((reason or "").strip()) < REASON_MIN:
        errors["reason"] = "请填写评定理由"


def _visible_person(actor, person: Person) -> Person:
    found = Person.objects.restrict(actor).filter(pk=person.pk).first()
    if found is None:
        raise Http404
    return found


def _save(instance, actor) -> None:
    attribute_to(instance, actor)
    instance.save()


@transaction.atomic
def rate(*, actor, person: Person, rating: str, reason: str, on: date | None = None) -> PotentialRating:
    """The county's potential rating of a reserve in the pool or a sitting village cadre, with its reason."""
    person = _visible_person(actor, person)
    require_editor(actor)
    if not is_county_rater(actor):
        raise PermissionDenied
    on = on or today()
    errors: dict[str, str] = {}
    _check_rating(rating, reason, errors)
    if on > today():
        errors["rated_on"] = "评定日期不能晚于今天"
    elif selectors.member_of(actor, person.pk, on) is None:
        errors["person"] = "只能评定在库后备力量或在职村干部"
    raise_errors(errors)
    row = PotentialRating(person=person, rating=rating, reason=reason.strip(), rated_on=on, rated_by=actor)
    _save(row, actor)
    return row


@dataclass(frozen=True)
class SessionInput:
    township: str
    held_on: date
    participants: str
    note: str = ""


@transaction.atomic
def create_session(*, actor, data: SessionInput) -> CalibrationSession:
    """A calibration session of a township in the actor's jurisdiction (the county's or the township's own)."""
    township = Division.objects.filter(code=data.township, level=Level.TOWNSHIP).first()
    if township is None or not code_in_jurisdiction(actor, township.code):
        raise Http404
    require_editor(actor)
    errors: dict[str, str] = {}
    if data.held_on > today():
        errors["held_on"] = "校准会日期不能晚于今天"
    if not (data.participants or "").strip():
        errors["participants"] = "请填写参会人员"
    raise_errors(errors)
    session = CalibrationSession(
        township=township,
        held_on=data.held_on,
        participants=data.participants.strip(),
        note=(data.note or "").strip(),
        created_by=actor,
    )
    _save(session, actor)
    return session


def _open_session(actor, session: CalibrationSession) -> CalibrationSession:
    session = visible_locked(actor, session, "township")
    require_editor(actor)
    if session.is_closed:
        raise_errors({"session": "校准会已结束，不能再调整评定"})
    return session


@transaction.atomic
def change_in_session(
    *, actor, session: CalibrationSession, person: Person, rating: str, reason: str
) -> CalibrationChange:
    """Change a person's rating in the open session of his township, with the reason; recorded as a change."""
    session = _open_session(actor, session)
    errors: dict[str, str] = {}
    _check_rating(rating, reason, errors)
    member = selectors.member_of(None, person.pk, today())
    if member is None or not member.village.code.startswith(session.township_id):
        errors["person"] = "只能调整本乡镇在库后备力量或在职村干部的评定"
    elif member.potential is not None and member.potential.rating == rating and "rating" not in errors:
        errors["rating"] = "调整后的评定与原评定相同"
    raise_errors(errors)
    assert member is not None
    before = member.potential.rating if member.potential else ""
    row = PotentialRating(
        person_id=person.pk,
        rating=rating,
        reason=reason.strip(),
        rated_on=today(),
        rated_by=actor,
        session=session,
    )
    _save(row, actor)
    change = CalibrationChange(
        session=session,
        person_id=person.pk,
        before=before,
        after=rating,
        reason=reason.strip(),
        rating=row,
        changed_by=actor,
    )
    _save(change, actor)
    return change


@transaction.atomic
def close_session(*, actor, session: CalibrationSession) -> CalibrationSession:
    """Close the session: its changes stay, no more are accepted."""
    session = _open_session(actor, session)
    session.closed_at = timezone.now()
    session.closed_by = actor
    _save(session, actor)
    return session
