"""Jurisdiction (辖区): the one scoping method every page, API route, export and count goes through.

A user belongs to one division; his jurisdiction is every record whose division code starts with that
division's code. Division codes are materialised paths (64 → 6403 → 640323 → 640323100 → 640323100200),
so the test is a prefix test answered by the database, never a walk of the tree in Python.

Models take part by using `ScopedQuerySet` (or a manager built from it) and naming, in
`jurisdiction_path`, the lookup that reaches a division code, e.g. "code" on Division itself or
"village__code" on a record attached to a village.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Self

from django.apps import apps
from django.db import models

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


def jurisdiction_prefix(user: User | None) -> str | None:
    """The code prefix a user may see; "" means everything, None means nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.division_id:
        return user.division_id
    # Only an operator's superuser account stands above every division (system administration).
    return "" if user.is_superuser else None


Action = Literal["view", "change"]

# The length of a county's code (divisions.codes.CODE_LENGTH; core imports no app).
COUNTY_CODE_LENGTH = 6


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to a user's jurisdiction.

    `restrict(user, "change")` is the records he may also write: none for a reader (NetBox's
    `restrict(user, action)`). The return type is the model's own queryset class, so a manager built from a
    subclass keeps its methods after `restrict` (`Candidacy.objects.restrict(user).in_pool_on(day)`)."""

    def restrict(self, user: User | None, action: Action = "view") -> Self:
        prefix = allowed_prefix(user, action)
        if prefix is None:
            return self.none()
        if prefix == "":
            return self
        path = self.model.jurisdiction_path  # type: ignore[attr-defined]
        return self.filter(**{f"{path}__startswith": prefix})


class VillageSharedQuerySet(ScopedQuerySet):
    """A record several villages share (a pair of villages, a county's survey): seen by every jurisdiction
    holding one of its villages (a pair across two townships is each township's business), so `restrict`
    looks through its member rows. Who may *write* it is the app's rule (pairing: every village inside;
    surveys: the county).

    `members` is the member model ("app_label.Model", with a `village` key and `member_key` naming its key
    to the shared record); `shared_path` the lookup from the queried row to the shared record's key (a
    related row, an activity of a pair, says `pair_id`); `county_path`, when set, answers a county or wider
    jurisdiction from the record's own county without the member rows."""

    members: str
    member_key: str
    shared_path = "pk"
    county_path: str | None = None

    def restrict(self, user: User | None, action: Action = "view") -> Self:
        prefix = allowed_prefix(user, action)
        if prefix is None:
            return self.none()
        if prefix == "":
            return self
        if self.county_path and len(prefix) <= COUNTY_CODE_LENGTH:
            return self.filter(**{f"{self.county_path}__startswith": prefix})
        inside = (
            apps.get_model(self.members)
            .objects.filter(village__code__startswith=prefix)
            .values(self.member_key)
        )
        return self.filter(**{f"{self.shared_path}__in": inside})


def allowed_prefix(user: User | None, action: Action = "view") -> str | None:
    """The code prefix of the rows the user may see (`view`) or also write (`change`); None: no rows."""
    prefix = jurisdiction_prefix(user)
    if prefix is None or (action == "change" and not (user is not None and user.can_edit)):
        return None
    return prefix


def code_in_jurisdiction(user: User | None, code: str) -> bool:
    prefix = jurisdiction_prefix(user)
    return prefix is not None and code.startswith(prefix)
