"""What the rules produced during one save, so that the page can say so with a link (已生成出库建议 →,
已列为重点培养对象 →, 已生成调整建议 →).

The rules (`rules.py`, `services/checkups.py`, `incumbents/rules.py`) note each record they *create*; a page
wraps its service call in `collecting()` and reads the list afterwards. Outside `collecting()` noting does nothing, so
the services, the API and the console behave exactly as before. A context variable, not a global: each
request (thread or task) has its own list.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models


class Outcome(models.TextChoices):
    REMOVAL_PROPOSED = "removal", "已生成出库建议"
    KEY_CULTIVATION = "key_cultivation", "已列为重点培养对象"
    ADJUSTMENT_PROPOSED = "adjustment", "已生成调整建议"


@dataclass(frozen=True)
class Fired:
    outcome: str
    record: models.Model  # the RemovalProposal, NoticeBoardEntry or AdjustmentProposal just created


_collected: ContextVar[list[Fired] | None] = ContextVar("fired_rules", default=None)


@contextmanager
def collecting() -> Iterator[list[Fired]]:
    """Collect what the rules create inside the block (the list is complete when the block ends)."""
    token = _collected.set([])
    try:
        yield _collected.get()  # type: ignore[misc]
    finally:
        _collected.reset(token)


def note(outcome: str, record: models.Model) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.append(Fired(outcome, record))
