"""Writing the reports filed upward (issue 20 §3): a county submits, the city or the province returns.

Order of the checks (core.guards): jurisdiction (404 outside), role (403), then the data (`ValidationError`
naming the field, nothing written). Only a county's administrator submits his own county's reports; only an
administrator above the county (a city's, a province's) sends one back. A submission supersedes the county's
current snapshot of the same kind and year (returned or not): the old row stays, marked superseded and linked
from the new one. Every write leaves a history row naming the actor.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from yanzhen.accounts.roles import Role
from yanzhen.core.county_settings import county_errors
from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today
from yanzhen.core.locking import visible_locked
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.elections.models import Election
from yanzhen.reports_up import content, signing
from yanzhen.reports_up.models import CURRENT, Kind, Snapshot, Status

EARLIEST_YEAR = 2000
COUNTY_LENGTH = CODE_LENGTH[Level.COUNTY]
NOTE_MAX = 1000


def election_of(county: Division, year: int) -> Election | None:
    """The county's election begun in the year (the latest, if two)."""
    return Election.objects.filter(county=county, starts_on__year=year).order_by("-starts_on", "-pk").first()


def _submit_errors(actor, county: Division, kind: str, year) -> dict[str, str]:
    errors = county_errors(actor, county, role=Role.ADMIN)
    if actor.division_id != county.code:
        raise PermissionDenied  # a county files its own reports; the city and the province read them
    if kind not in Kind.values:
        errors["kind"] = "请选择要上报的报表"
    if not isinstance(year, int) or not EARLIEST_YEAR <= year <= today().year:
        errors["year"] = f"年度应在 {EARLIEST_YEAR} 至 {today().year} 之间"
    elif kind == Kind.ELECTION and election_of(county, year) is None:
        errors["kind"] = f"{county.name} {year} 年没有换届选举，不能上报换届选举情况报告"
    return errors


def current_of(county: Division, kind: str, year: int):
    return Snapshot.objects.filter(division=county, kind=kind, year=year, status__in=CURRENT)


@transaction.atomic
def submit_snapshot(*, actor, county: Division, kind: str, year: int) -> Snapshot:
    """Freeze the county's report of `kind` for `year` (as of 31 December, or today for this year), sign it
    and file it; the county's current snapshot of the same kind and year, if any, is superseded."""
    raise_errors(_submit_errors(actor, county, kind, year))
    election = election_of(county, year) if kind == Kind.ELECTION else None
    as_of = content.as_of_for(year, today())
    frozen = content.build(actor=actor, county=county, kind=kind, year=year, as_of=as_of, election=election)
    signature = signing.sign(frozen)
    previous = current_of(county, kind, year).select_for_update().first()
    if previous is not None:
        previous.status = Status.SUPERSEDED
        attribute_to(previous, actor)
        previous.save()
    snapshot = Snapshot(
        division=county,
        kind=kind,
        year=year,
        as_of=as_of,
        submitted_by=actor,
        submitted_by_name=frozen["submitted_by"],
        submitted_on=timezone.now(),
        content=frozen,
        key_id=signature.key_id,
        signature=signature.value,
        supersedes=previous,
    )
    attribute_to(snapshot, actor)
    snapshot.save()
    return snapshot


def is_above_county(user) -> bool:
    """A user of a city or a province (or the operator's superuser): he reads counties' reports, a county's
    own user does not send his reports back to himself."""
    prefix = user.division_id if user.division_id else ("" if user.is_superuser else None)
    return prefix is not None and len(prefix) < COUNTY_LENGTH


@transaction.atomic
def return_snapshot(*, actor, snapshot: Snapshot, note: str) -> Snapshot:
    """Send a submitted snapshot back to its county for correction, with the note saying what to correct."""
    snapshot = visible_locked(actor, snapshot, "division")
    require_editor(actor)
    if not (actor.has_role(Role.ADMIN) and is_above_county(actor)):
        raise PermissionDenied
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if snapshot.status != Status.SUBMITTED:
        errors["status"] = "只能退回已上报（未被退回、未被替代）的报表"
    if not note:
        errors["note"] = "请写明退回的理由和需要更正之处"
    elif len(note) > NOTE_MAX:
        errors["note"] = f"退回意见最多 {NOTE_MAX} 字"
    raise_errors(errors)
    snapshot.status = Status.RETURNED
    snapshot.return_note = note
    snapshot.returned_by = actor
    snapshot.returned_on = timezone.now()
    attribute_to(snapshot, actor)
    snapshot.save()
    return snapshot
