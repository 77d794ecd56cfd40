"""The demo county's succession (issue 21 §1): a saved order and an emergency cover for the key seats (书记, 主任)
of 花马池镇, so the seat pages, the risk map and the succession figures show the county's own choices.

For each key seat with successors: the saved order is the default order, except that every third seat puts its
last successor first (the county's judgement is not only readiness); the emergency cover is the first successor
ready now, else the first, on two seats of three (the others show "no emergency cover"). Written through
`succession.services` with the demo administrator as the actor. Idempotent: a seat with a saved order is left
alone."""

from __future__ import annotations

from django.db import transaction

from yanzhen.accounts.models import User
from yanzhen.succession import selectors, services
from yanzhen.succession.models import SuccessionEntry


@transaction.atomic
def build_succession(township: str, actor_name: str = "county") -> int:
    """Save orders and covers for the township's key seats; the number of seats written."""
    actor = User.objects.get(username=actor_name)
    seats = list(selectors.key_seats(None, township))
    saved = set(SuccessionEntry.objects.filter(seat__in=seats).values_list("seat_id", flat=True))
    benches = selectors.successors_of([seat for seat in seats if seat.pk not in saved])
    written = 0
    for number, bench in enumerate(benches.values()):
        ids = [successor.candidacy_id for successor in bench.successors]
        if not ids:
            continue
        if number % 3 == 0 and len(ids) > 1:
            ids = [ids[-1], *ids[:-1]]
        services.set_order(actor=actor, seat=bench.seat, candidacy_ids=ids)
        if number % 3 != 2:
            ready = [s.candidacy_id for s in bench.successors if s.ready_now]
            services.set_emergency_cover(actor=actor, seat=bench.seat, candidacy_id=(ready or ids)[0])
        written += 1
    return written
